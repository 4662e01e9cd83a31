#!/bin/sh
# Make and start a streaming standby of a server of tests/pg/start.sh, and
# print its URL.
#
#   tests/pg/standby.sh PRIMARY_DIR STANDBY_DIR [NAME]
#
# pg_basebackup -R copies the primary (over its Unix socket in PRIMARY_DIR)
# and writes standby.signal and primary_conninfo, so the copy starts as a hot
# standby that streams the primary's WAL.  The primary needs nothing more
# than start.sh gives it: wal_level=replica and max_wal_senders are set
# there, initdb's pg_hba.conf trusts local replication connections, and the
# postgres user may replicate.  NAME (default: the standby directory's name)
# is the standby's application_name on the primary (pg_stat_replication).
# Like start.sh: Unix socket only, in STANDBY_DIR; as root the files belong
# to the unprivileged "giapranh-test" user.  Stop it with tests/pg/stop.sh
# STANDBY_DIR.
set -eu
PRIMARY=$1
DIR=$2
NAME=${3:-$(basename "$DIR")}
DATA="$DIR/data"
LOGFILE="$DIR/server.log"
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] && [ -x "$BIN/pg_basebackup" ] || { echo "no PostgreSQL server binaries" >&2; exit 1; }

. "$(dirname "$0")/owner.sh"
own_dir "$DIR"
URL="postgresql:///postgres?host=$DIR&user=postgres"

if [ ! -f "$DATA/PG_VERSION" ]; then
	rm -rf "$DATA"
	# -X stream: the WAL written during the copy comes with it; -c fast:
	# an immediate checkpoint rather than a spread one
	as_owner "$BIN/pg_basebackup" -D "$DATA" -R -X stream -c fast --no-sync \
	    -d "host=$PRIMARY user=postgres application_name=$NAME" \
	    >"$DIR/basebackup.log" 2>&1 || { cat "$DIR/basebackup.log" >&2; exit 1; }
fi

if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
	echo "$URL"
	exit 0
fi

# the same settings as the primary: a hot standby refuses to start with
# max_connections lower than its primary's
as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 \
    -o "-k $DIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c hot_standby=on" \
    start >&2 || { cat "$LOGFILE" >&2; exit 1; }
echo "$URL"
