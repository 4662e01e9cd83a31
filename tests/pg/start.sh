#!/bin/sh
# Start a private PostgreSQL server for the tests and print its URL.
#
#   tests/pg/start.sh [DIR]     (default DIR: $GIAPRANH_PG_DIR or /tmp/giapranh-pg)
#
# The server listens only on a Unix socket in DIR (no TCP), trusts local
# connections, and runs as an unprivileged user (postgres refuses root): as
# root the files belong to "giapranh-test" (created when missing).  Running
# it again with the server up only prints the URL again.  Installs Debian's
# postgresql package when no server binaries are found.
#   export GIAPRANH_TEST_PG=$(tests/pg/start.sh)
set -eu
DIR=${1:-${GIAPRANH_PG_DIR:-/tmp/giapranh-pg}}
DATA="$DIR/data"
LOGFILE="$DIR/server.log"

find_bin() {
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

BIN=$(find_bin)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
	echo "installing postgresql (apt-get)" >&2
	if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2 || {
		$SUDO apt-get update >&2
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
	}
	BIN=$(find_bin)
fi
[ -n "$BIN" ] && [ -x "$BIN/initdb" ] || { echo "no PostgreSQL server binaries" >&2; exit 1; }

. "$(dirname "$0")/owner.sh"
own_dir "$DIR"

URL="postgresql:///postgres?host=$DIR&user=postgres"

if [ ! -f "$DATA/PG_VERSION" ]; then
	rm -rf "$DATA"
	as_owner "$BIN/initdb" -D "$DATA" --auth=trust -U postgres --encoding=UTF8 \
	    --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || {
		cat "$DIR/initdb.log" >&2
		exit 1
	}
fi

if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
	echo "$URL"
	exit 0
fi

# fsync off: test data is thrown away, and it makes CREATE DATABASE fast.
# wal_level=replica and max_wal_senders (the defaults, said here because
# tests/pg/standby.sh relies on them) let pg_basebackup copy it and
# standbys stream from it.
as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 \
    -o "-k $DIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c wal_level=replica -c max_wal_senders=10" \
    start >&2 || { cat "$LOGFILE" >&2; exit 1; }
echo "$URL"
