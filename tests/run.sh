#!/bin/sh
# Run every test suite and end with one line "N passed, N failed".
#   layers:  tools/check-layers.py on src/ and BUILD's library (includes and
#            calls only go down the layers, no cycles): one check; then its
#            own tests on fake trees (tests/layers)
#   unit:    the cmocka executables under BUILD/tests (one per module)
#   e2e:     tests/e2e (pytest, against a real server)
#   schema:  tests/schema (the entity description and its generator), and
#            tools/count-literals.py against its baseline: one check
#   openapi: tests/openapi/lint.sh (the OpenAPI document of `giapranh
#            openapi` linted by @redocly/cli, offline): one check
#   browser: tests/browser (playwright-core + Debian chromium)
#   crash, backup: tests/crash (short form; `make crash` is the long one)
#   buildtypes: tools/check-buildtypes.sh (release and deployed builds
#            compile with -Werror; the deployed binary is hardened)
#   fuzz:    each libFuzzer target of tests/fuzz for FUZZ_SHORT_SECONDS
#            (default 10) when clang is installed, built in BUILD-fuzz
# The unit, e2e, crash and backup suites run twice: on SQLite, then on a
# private PostgreSQL server started by tests/pg/start.sh (set
# GIAPRANH_SKIP_PG=1 to skip that pass).
# Usage: tests/run.sh BUILD_DIR
set -u
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/.." && pwd)
export GIAPRANH_SRCDIR="$SRC"
export GIAPRANH_BIN="$SRC/$BUILD/giapranh"
LOG=$(mktemp -d)
passed=0
failed=0

count() { # file pattern -> number on the matching line (cmocka summary)
	sed -n "s/^\[  $2  \] \([0-9][0-9]*\) test.*/\1/p" "$1" | head -n 1
}

# seconds since the previous report, printed beside each line: where the
# run's time goes (a target of 30 minutes on a busy 2-core machine)
last=$(date +%s)
report() { # label passed failed logfile
	passed=$((passed + $2))
	failed=$((failed + $3))
	now=$(date +%s)
	took=$((now - last))
	last=$now
	if [ "$3" -ne 0 ]; then
		echo "FAIL $1 [${took} s]"
		cat "$4"
	else
		echo "ok   $1 ($2) [${took} s]"
	fi
}

# pytest-xdist (Debian's python3-pytest-xdist) runs the end-to-end files on
# JOBS workers, each with its own server and database; a file stays on one
# worker (--dist loadfile) because its tests share module fixtures
JOBS=${GIAPRANH_TEST_JOBS:-2}
XDIST=""
if [ "$JOBS" -gt 1 ] && /usr/bin/python3 -c 'import xdist' 2>/dev/null; then
	XDIST="-n $JOBS --dist loadfile"
fi

unit_suite() { # engine-label
	# the programs run JOBS at a time, each into its own log and status file;
	# then reported in name order
	for t in "$SRC/$BUILD"/tests/test_*; do
		[ -f "$t" ] && [ -x "$t" ] && printf '%s\n' "$t"
	done | xargs -P "$JOBS" -I{} sh -c \
	    'n=$(basename "$1"); "$1" >"$2/$n.out" 2>&1; echo $? >"$2/$n.rc"' _ {} "$LOG"
	for t in "$SRC/$BUILD"/tests/test_*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		name=$(basename "$t")
		rc=$(cat "$LOG/$name.rc" 2>/dev/null || echo 1)
		p=$(count "$LOG/$name.out" PASSED); p=${p:-0}
		f=$(count "$LOG/$name.out" FAILED); f=${f:-0}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1 # crashed, or a sanitizer report after the tests
		fi
		report "$1 $name" "$p" "$f" "$LOG/$name.out"
	done
}

e2e_suite() { # engine-label
	[ -d "$SRC/tests/e2e" ] && ls "$SRC"/tests/e2e/test_*.py >/dev/null 2>&1 || return 0
	# every exchange is recorded (tests/e2e/conftest.py) for the contract check
	rm -rf "$LOG/contract-$1"; mkdir -p "$LOG/contract-$1"
	# shellcheck disable=SC2086 # XDIST is words
	(cd "$SRC" && GIAPRANH_CONTRACT_LOG="$LOG/contract-$1" \
	    /usr/bin/python3 -m pytest -q -p no:cacheprovider --durations=15 $XDIST tests/e2e tests/ingest) \
	    >"$LOG/e2e.out" 2>&1
	p=$(grep -Eo '[0-9]+ passed' "$LOG/e2e.out" | tail -n 1 | grep -Eo '[0-9]+')
	f=$(grep -Eo '[0-9]+ (failed|error)' "$LOG/e2e.out" | awk '{s+=$1} END {print s+0}')
	p=${p:-0}; f=${f:-0}
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	report "$1 e2e" "$p" "$f" "$LOG/e2e.out"
	# the OpenAPI contract over every exchange of the run (issue 18): each
	# request and answer the document describes must hold to it
	/usr/bin/python3 "$SRC/tests/openapi/contract_check.py" "$GIAPRANH_BIN" \
	    "$LOG/contract-$1" >"$LOG/contract.out" 2>&1
	p=$(sed -n 's/^contract: \([0-9]*\) passed.*/\1/p' "$LOG/contract.out" | tail -n 1)
	f=$(sed -n 's/^contract: [0-9]* passed, \([0-9]*\) failed.*/\1/p' "$LOG/contract.out" | tail -n 1)
	if [ -z "$p" ]; then p=0; f=1; fi
	# one check per exchange would drown the count: one for the whole run
	if [ "$f" -eq 0 ] && [ "$p" -gt 0 ]; then
		report "$1 contract ($p exchanges)" 1 0 "$LOG/contract.out"
	else
		report "$1 contract ($f of $((p + f)) exchanges)" 0 1 "$LOG/contract.out"
	fi
	if [ -n "${GIAPRANH_KEEP_CONTRACT:-}" ]; then
		rm -rf "$GIAPRANH_KEEP_CONTRACT-$1"
		mv "$LOG/contract-$1" "$GIAPRANH_KEEP_CONTRACT-$1"
	fi
	rm -rf "$LOG/contract-$1"
}

# the OpenAPI document linted by Redocly CLI (tests/openapi/lint.sh): one check
openapi_suite() {
	sh "$SRC/tests/openapi/lint.sh" "$BUILD" >"$LOG/openapi.out" 2>&1
	p=$(sed -n 's/^openapi-lint: \([0-9]*\) passed.*/\1/p' "$LOG/openapi.out" | tail -n 1)
	f=$(sed -n 's/^openapi-lint: [0-9]* passed, \([0-9]*\) failed.*/\1/p' "$LOG/openapi.out" | tail -n 1)
	p=${p:-0}; f=${f:-1}
	report "openapi lint" "$p" "$f" "$LOG/openapi.out"
}

browser_suite() {
	[ -f "$SRC/tests/browser/run.mjs" ] || return 0
	# screenshots are kept as the run's artifacts, BUILD/artifacts/browser
	rm -rf "$SRC/$BUILD/artifacts/browser"
	(cd "$SRC" && SHOTS="$SRC/$BUILD/artifacts/browser" node tests/browser/run.mjs) \
	    >"$LOG/browser.out" 2>&1
	p=$(sed -n 's/^browser: \([0-9]*\) passed.*/\1/p' "$LOG/browser.out" | tail -n 1)
	f=$(sed -n 's/^browser: [0-9]* passed, \([0-9]*\) failed.*/\1/p' "$LOG/browser.out" | tail -n 1)
	p=${p:-0}; f=${f:-1}
	report "browser" "$p" "$f" "$LOG/browser.out"
}

# the layers of docs/ARCHITECTURE.md: one counted check, then the
# checker's tests
layers_suite() {
	if /usr/bin/python3 "$SRC/tools/check-layers.py" --build "$SRC/$BUILD" \
	    >"$LOG/layers.out" 2>&1; then
		report "layers ($(sed -n 's/^check-layers: ok (\(.*\))$/\1/p' "$LOG/layers.out"))" \
		    1 0 "$LOG/layers.out"
	else
		report "layers" 0 1 "$LOG/layers.out"
	fi
	(cd "$SRC" && /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/layers) \
	    >"$LOG/layers-test.out" 2>&1
	p=$(grep -Eo '[0-9]+ passed' "$LOG/layers-test.out" | tail -n 1 | grep -Eo '[0-9]+')
	f=$(grep -Eo '[0-9]+ (failed|error)' "$LOG/layers-test.out" | awk '{s+=$1} END {print s+0}')
	p=${p:-0}; f=${f:-0}
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	report "layers self-test" "$p" "$f" "$LOG/layers-test.out"
}

layers_suite

# the entity description and its generator (tools/entgen.py); no database.
# Then the field and entity names spelt as strings in src/ instead of the
# generated ids: one check against tests/schema/literals-baseline.json,
# which only goes down (tools/count-literals.py)
schema_suite() {
	if /usr/bin/python3 "$SRC/tools/count-literals.py" --check \
	    "$SRC/tests/schema/literals-baseline.json" >"$LOG/literals.out" 2>&1; then
		report "literals ($(sed -n 's/^count-literals: \([0-9]*\) (baseline.*/\1/p' \
		    "$LOG/literals.out") left)" 1 0 "$LOG/literals.out"
	else
		report "literals" 0 1 "$LOG/literals.out"
	fi
	(cd "$SRC" && /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/schema) \
	    >"$LOG/schema.out" 2>&1
	p=$(grep -Eo '[0-9]+ passed' "$LOG/schema.out" | tail -n 1 | grep -Eo '[0-9]+')
	f=$(grep -Eo '[0-9]+ (failed|error)' "$LOG/schema.out" | awk '{s+=$1} END {print s+0}')
	p=${p:-0}; f=${f:-0}
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	report "schema" "$p" "$f" "$LOG/schema.out"
}

schema_suite
openapi_suite
unit_suite sqlite
e2e_suite sqlite
# crash safety (short form; `make crash` runs the long one) and backups
crash_suite() { # engine label command...; the command ends with "LABEL: N passed, M failed"
	engine=$1; label=$2; shift 2
	(cd "$SRC" && "$@") >"$LOG/$engine-$label.out" 2>&1
	p=$(sed -n "s/^$label: \([0-9]*\) passed.*/\1/p" "$LOG/$engine-$label.out" | tail -n 1)
	f=$(sed -n "s/^$label: [0-9]* passed, \([0-9]*\) failed.*/\1/p" "$LOG/$engine-$label.out" | tail -n 1)
	p=${p:-0}; f=${f:-1}
	report "$engine $label" "$p" "$f" "$LOG/$engine-$label.out"
}

# libFuzzer targets, a short run each (tests/fuzz/run.sh runs them at once);
# one line per target with its executions
fuzz_suite() {
	if ! command -v clang >/dev/null 2>&1; then
		echo "skip fuzz (no clang; sh tools/install-deps.sh installs it)"
		return 0
	fi
	FUZZ_SECONDS=${FUZZ_SHORT_SECONDS:-10} sh "$SRC/tests/fuzz/run.sh" "$BUILD-fuzz" \
	    >"$LOG/fuzz.out" 2>&1
	grep -E '^(ok|FAIL) ' "$LOG/fuzz.out" >"$LOG/fuzz.lines"
	if [ ! -s "$LOG/fuzz.lines" ]; then
		report "fuzz (targets not built)" 0 1 "$LOG/fuzz.out"
		return 0
	fi
	while read -r word name execs _; do
		if [ "$word" = ok ]; then
			report "fuzz $name: $execs executions" 1 0 /dev/null
		else
			report "fuzz $name" 0 1 "$LOG/fuzz.out"
		fi
	done <"$LOG/fuzz.lines"
}

crash_suite sqlite crash /usr/bin/python3 tests/crash/crash_test.py --kills 5 --imports 2
crash_suite sqlite backup sh tests/crash/backup_test.sh "$BUILD"
# every build type builds with -Werror (issue 13): the release (-O3) and the
# deployed (make run's, hardened) variants without sanitizers, compiled with
# -j2 in build-check-*, and the hardening of the deployed binary; about
# 3 minutes the first time on 2 busy cores, seconds afterwards
crash_suite compile buildtypes sh tools/check-buildtypes.sh
fuzz_suite
browser_suite

if [ "${GIAPRANH_SKIP_PG:-0}" != "1" ]; then
	if URL=$(sh "$SRC/tests/pg/start.sh" 2>"$LOG/pg-start.out"); then
		GIAPRANH_TEST_PG=$URL
		GIAPRANH_E2E_DB_URL=$(printf '%s' "$URL" | sed 's|:///postgres?|:///giapranh_e2e?|')
		export GIAPRANH_TEST_PG GIAPRANH_E2E_DB_URL
		# the units loaded once for every unit test program, as their
		# template (tests/unit/testutil.h): `giapranh init` without --demo
		# is the migrated database with the units those programs made
		# each for themselves
		UNITS_DB=gp_units_template
		if psql "$URL" -q -c "DROP DATABASE IF EXISTS $UNITS_DB" \
		    -c "CREATE DATABASE $UNITS_DB" >"$LOG/pg-units.out" 2>&1 &&
		    GIAPRANH_DB=$(printf '%s' "$URL" | sed "s|:///postgres?|:///$UNITS_DB?|") \
		    "$GIAPRANH_BIN" --data "$SRC/data" init >>"$LOG/pg-units.out" 2>&1; then
			GIAPRANH_TEST_PG_UNITS=$UNITS_DB
			export GIAPRANH_TEST_PG_UNITS
		else
			cat "$LOG/pg-units.out" # each program makes its own then
		fi
		unit_suite postgres
		unset GIAPRANH_TEST_PG_UNITS
		e2e_suite postgres
		# copy-db: SQLite -> PostgreSQL -> SQLite, exports and reports equal
		sh "$SRC/tests/pg/copy_test.sh" "$BUILD" >"$LOG/copy.out" 2>&1
		p=$(sed -n 's/^copy-db: \([0-9]*\) passed.*/\1/p' "$LOG/copy.out" | tail -n 1)
		f=$(sed -n 's/^copy-db: [0-9]* passed, \([0-9]*\) failed.*/\1/p' "$LOG/copy.out" | tail -n 1)
		p=${p:-0}; f=${f:-1}
		report "postgres copy-db" "$p" "$f" "$LOG/copy.out"
		crash_suite postgres crash /usr/bin/python3 tests/crash/crash_test.py \
		    --kills 3 --imports 1 --pg "$URL"
		crash_suite postgres backup sh tests/crash/backup_test.sh "$BUILD" postgres
		unset GIAPRANH_TEST_PG GIAPRANH_E2E_DB_URL
		sh "$SRC/tests/pg/stop.sh" >/dev/null 2>&1
	else
		report "postgres (server did not start)" 0 1 "$LOG/pg-start.out"
	fi
fi

rm -rf "$LOG"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
