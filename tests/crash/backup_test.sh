#!/bin/sh
# Backup round trip: `giapranh backup` taken while the server runs, then
# `giapranh restore` into a fresh database, gives identical CSV exports for
# every entity; restore refuses a database in use or already holding data
# (unless --force).  With GIAPRANH_TEST_PG set (a PostgreSQL URL of a
# scratch server, see tests/pg/README.md) the same round trip runs through
# pg_dump/pg_restore into a database created for it.
# Ends with "backup: N passed, M failed".
# Usage: tests/crash/backup_test.sh BUILD_DIR [postgres]
#   (with "postgres", only the PostgreSQL round trip: the PostgreSQL pass of
#   tests/run.sh, after the SQLite pass has run the SQLite one)
set -u
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BIN="$SRC/$BUILD/giapranh"
T=$(mktemp -d)
passed=0
failed=0
pid=

ok() { passed=$((passed + 1)); echo "ok   $1"; }
ko() { failed=$((failed + 1)); echo "FAIL $1"; }
check() { # label command...
	label=$1; shift
	if "$@" >"$T/out" 2>&1; then ok "$label"; else ko "$label"; cat "$T/out"; fi
}
refuses() { # label command...
	label=$1; shift
	if "$@" >"$T/out" 2>&1; then ko "$label (accepted)"; else ok "$label"; fi
}
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
cd "$SRC"
ENTITIES=$("$BIN" entities | sed -n 's/^\([a-z_][a-z_0-9]*\) — .*/\1/p')

same_exports() { # urlA urlB
	for ent in $ENTITIES; do
		"$BIN" --db "$1" export "$ent" --format csv >"$T/a.csv" 2>"$T/err" || return 1
		"$BIN" --db "$2" export "$ent" --format csv >"$T/b.csv" 2>"$T/err" || return 1
		if ! cmp -s "$T/a.csv" "$T/b.csv"; then
			echo "export $ent differs"
			diff "$T/a.csv" "$T/b.csv" | head -n 5
			return 1
		fi
	done
}

# serve DB LOG: start the server in the background on a free port ($pid,
# $port) and wait until it is up - its own log says it listens (a /healthz
# answer alone may come from another server that took the port) and
# /healthz answers.  A port picked free can be taken before the server
# binds it: a server that exits at start is tried again on another port.
# The wait is a bound for a broken run (a loaded machine is slow), 120 s.
serve() {
	for attempt in 1 2 3 4 5; do
		port=$(free_port)
		"$BIN" --db "$1" serve --listen "127.0.0.1:$port" --quiet --files "$T/files" \
		    >"$2" 2>&1 &
		pid=$!
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 1200 ]; do
			if grep -q "giapranh đang chạy tại" "$2" &&
			    curl -fs --max-time 60 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
				return 0
			fi
			i=$((i + 1)); sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			break # running but not answering: no other port will help
		fi
		wait "$pid" 2>/dev/null; pid=
	done
	echo "server did not start (attempt $attempt):"; tail -n 20 "$2"
	return 1
}

# ---- SQLite --------------------------------------------------------------------
if [ "${2:-}" != "postgres" ]; then
DB="sqlite:$T/live.db"
check "init --demo" "$BIN" --db "$DB" init --demo
check "server started" serve "$DB" "$T/serve.log"
check "backup while serving" "$BIN" --db "$DB" backup --to "$T/one.bak"
refuses "restore into a database in use" "$BIN" --db "$DB" restore --from "$T/one.bak" --force
kill "$pid"; wait "$pid" 2>/dev/null; pid=
check "sqlite3 integrity_check of the backup" sh -c \
    "[ \"\$(sqlite3 '$T/one.bak' 'PRAGMA integrity_check')\" = ok ]"
check "restore into a new file" "$BIN" --db "sqlite:$T/restored.db" restore --from "$T/one.bak"
check "exports identical after round trip" same_exports "$DB" "sqlite:$T/restored.db"
refuses "restore over data without --force" "$BIN" --db "sqlite:$T/restored.db" restore --from "$T/one.bak"
check "restore over data with --force" "$BIN" --db "sqlite:$T/restored.db" restore --from "$T/one.bak" --force
check "exports identical after forced restore" same_exports "$DB" "sqlite:$T/restored.db"
printf 'not a database' >"$T/junk.bak"
refuses "restore of a file that is no backup" "$BIN" --db "sqlite:$T/x.db" restore --from "$T/junk.bak"
fi

# ---- PostgreSQL (optional) -----------------------------------------------------
if [ -n "${GIAPRANH_TEST_PG:-}" ]; then
	admin=$GIAPRANH_TEST_PG
	url_of() { printf '%s' "$admin" | sed "s|:///postgres?|:///$1?|"; }
	for d in giapranh_bk_a giapranh_bk_b; do
		psql -X -q -d "$admin" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1
		psql -X -q -d "$admin" -c "CREATE DATABASE $d" >/dev/null 2>&1
	done
	A=$(url_of giapranh_bk_a); B=$(url_of giapranh_bk_b)
	check "postgres init --demo" "$BIN" --db "$A" init --demo
	check "postgres server started" serve "$A" "$T/serve-pg.log"
	check "postgres backup while serving (pg_dump)" "$BIN" --db "$A" backup --to "$T/pg.dump"
	kill "$pid"; wait "$pid" 2>/dev/null; pid=
	check "postgres restore (pg_restore)" "$BIN" --db "$B" restore --from "$T/pg.dump"
	check "postgres exports identical" same_exports "$A" "$B"
	refuses "postgres restore over data without --force" "$BIN" --db "$B" restore --from "$T/pg.dump"
	check "postgres restore with --force" "$BIN" --db "$B" restore --from "$T/pg.dump" --force
	check "postgres exports identical after --force" same_exports "$A" "$B"
	for d in giapranh_bk_a giapranh_bk_b; do
		psql -X -q -d "$admin" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1
	done
fi

echo "backup: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
