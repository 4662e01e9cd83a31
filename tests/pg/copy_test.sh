#!/bin/sh
# `giapranh copy-db` between SQLite and PostgreSQL, on the private server of
# tests/pg/start.sh:
#   demo SQLite (init --demo) -> fresh PostgreSQL database, twice (the second
#   run must add nothing and still verify); every entity's CSV export and three
#   reports must be byte-identical on both; then PostgreSQL -> a fresh SQLite
#   file, compared again; then the checks that matter after a move: new ids
#   continue past the copied ones, a row missing from the target is put back
#   by a re-run, and a target row changed under the same id is reported.
# Ends with "copy-db: N passed, M failed"; exit status 1 when any failed.
#   tests/pg/copy_test.sh [BUILD_DIR]
set -u
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
case $BUILD in
/*) BIN=$BUILD/giapranh ;;
*) BIN=$SRC/$BUILD/giapranh ;;
esac
TMP=$(mktemp -d)
DBNAME=gp_copy_test_$$
passed=0
failed=0

ADMIN=$(sh "$SRC/tests/pg/start.sh") || { echo "copy-db: no PostgreSQL server" >&2; exit 1; }
PG=$(printf '%s' "$ADMIN" | sed "s|:///postgres?|:///$DBNAME?|")
A="sqlite:$TMP/a.db"
B="sqlite:$TMP/b.db"

psql_admin() {
	PGOPTIONS='-c client_min_messages=warning' \
	    psql -X -q -v ON_ERROR_STOP=1 -d "$ADMIN" -c "$1" >/dev/null
}

cleanup() {
	psql_admin "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL $*"; }

# gp DB ARGS...: the binary on one database, run from the source tree
gp() {
	db=$1
	shift
	(cd "$SRC" && "$BIN" --db "$db" --data "$SRC/data" "$@")
}

# copy LABEL FROM TO: copy-db must succeed; its table goes to $TMP/LABEL.out
copy() {
	if gp "$2" copy-db --from "$2" --to "$3" >"$TMP/$1.out" 2>"$TMP/$1.err"; then
		ok
	else
		ko "copy-db $1"
		cat "$TMP/$1.out" "$TMP/$1.err"
	fi
}

# same_data LABEL DB1 DB2: every entity's CSV export and the reports agree
same_data() {
	for ent in $("$BIN" entities | grep -v '^ ' | cut -d' ' -f1); do
		gp "$2" export "$ent" --format csv >"$TMP/x1.csv" 2>"$TMP/x1.err"
		r1=$?
		gp "$3" export "$ent" --format csv >"$TMP/x2.csv" 2>"$TMP/x2.err"
		r2=$?
		if [ $r1 -eq 0 ] && [ $r2 -eq 0 ] && cmp -s "$TMP/x1.csv" "$TMP/x2.csv"; then
			ok
		else
			ko "$1: export $ent differs (exit $r1/$r2)"
			cat "$TMP/x1.err" "$TMP/x2.err"
			diff "$TMP/x1.csv" "$TMP/x2.csv" | head -n 10
		fi
	done
	for args in "--scope program:1" "--scope target_set:1" \
	    "--scope supervision:1 --period 2021-2023"; do
		# shellcheck disable=SC2086 # args are words on purpose
		gp "$2" report $args --format json >"$TMP/r1.json" 2>"$TMP/r1.err"
		r1=$?
		# shellcheck disable=SC2086
		gp "$3" report $args --format json >"$TMP/r2.json" 2>"$TMP/r2.err"
		r2=$?
		if [ $r1 -eq 0 ] && [ $r2 -eq 0 ] && [ -s "$TMP/r1.json" ] &&
		    cmp -s "$TMP/r1.json" "$TMP/r2.json"; then
			ok
		else
			ko "$1: report $args differs (exit $r1/$r2)"
			cat "$TMP/r1.err" "$TMP/r2.err"
			diff "$TMP/r1.json" "$TMP/r2.json" | head -n 10
		fi
	done
}

# psql on the copy
pgq() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$PG" -c "$1"
}

# --- build the demo database, make an empty PostgreSQL one -----------------
if ! gp "$A" init --demo >"$TMP/init.out" 2>&1; then
	cat "$TMP/init.out"
	echo "copy-db: 0 passed, 1 failed"
	exit 1
fi
psql_admin "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)"
psql_admin "CREATE DATABASE $DBNAME"
# a reference to a later row of the same table (edited after the demo load):
# the copy must not trip over the foreign key, whatever the row order
if command -v sqlite3 >/dev/null; then
	sqlite3 "$TMP/a.db" "UPDATE document SET related_document_id = (SELECT MAX(id) \
	    FROM document) WHERE id = (SELECT MIN(id) FROM document)"
fi

# --- SQLite -> PostgreSQL, twice ---------------------------------------------
t0=$(date +%s%N)
copy sqlite-pg "$A" "$PG"
t1=$(date +%s%N)
echo "copy-db sqlite → postgres (demo): $(( (t1 - t0) / 1000000 )) ms" >&2
if grep -q 'KHÁC' "$TMP/sqlite-pg.out"; then ko "first copy reports differences"; else ok; fi
copy sqlite-pg-again "$A" "$PG"
# the second run finds every row there and copies none
if grep -q 'chép [1-9]' "$TMP/sqlite-pg-again.err"; then
	ko "second copy wrote rows"
	grep 'chép [1-9]' "$TMP/sqlite-pg-again.err"
else
	ok
fi
same_data sqlite-pg "$A" "$PG"

# --- PostgreSQL -> a fresh SQLite file ---------------------------------------
copy pg-sqlite "$PG" "$B"
same_data pg-sqlite "$A" "$B"

# --- after the move ------------------------------------------------------------
# a row lost from the target comes back on a re-run
pgq "DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)"
copy refill "$A" "$PG"
if grep -q 'audit_log .* chép 1,' "$TMP/refill.err"; then ok; else
	ko "re-run did not put the missing audit_log row back"
	grep audit_log "$TMP/refill.err"
fi

# a row changed under the same id is reported, naming its table
pgq "UPDATE person SET full_name = full_name || ' (sửa)' WHERE id = (SELECT MIN(id) FROM person)"
if gp "$A" copy-db --from "$A" --to "$PG" >"$TMP/tamper.out" 2>"$TMP/tamper.err"; then
	ko "changed target row not detected"
	cat "$TMP/tamper.out"
elif grep -q '^person .*KHÁC' "$TMP/tamper.out" &&
    grep -q 'giapranh: .*person' "$TMP/tamper.err" &&
    [ "$(grep -c 'KHÁC' "$TMP/tamper.out")" -eq 1 ]; then
	ok
else
	ko "changed target row: unexpected report"
	cat "$TMP/tamper.out" "$TMP/tamper.err"
fi

# new records get ids after the copied ones (the identity was advanced)
before=$(pgq "SELECT MAX(id) FROM app_user")
for db in "$PG" "$B"; do
	if printf 'mat-khau-thu-nghiem\n' | gp "$db" user add --login copy-test \
	    --role viewer >"$TMP/user.out" 2>&1; then ok; else
		ko "new user after copy on $db"
		cat "$TMP/user.out"
	fi
done
if [ "$(pgq "SELECT id FROM app_user WHERE login = 'copy-test'")" = $((before + 1)) ]; then
	ok
else
	ko "new app_user id is not $((before + 1))"
fi

echo "copy-db: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
