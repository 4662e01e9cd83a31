#!/bin/sh
# Run every test suite and end with one line "N passed, N failed".
#   unit:    the cmocka executables under BUILD/tests (one per module)
#   e2e:     tests/e2e (pytest, against a real server), when present
#   browser: tests/browser (playwright-core + Debian chromium), when present
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

for t in "$SRC/$BUILD"/tests/test_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	"$t" >"$LOG/$name.out" 2>&1
	rc=$?
	p=$(count "$LOG/$name.out" PASSED); p=${p:-0}
	f=$(count "$LOG/$name.out" FAILED); f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed, or a sanitizer report after the tests
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL $name"
		cat "$LOG/$name.out"
	else
		echo "ok   $name ($p)"
	fi
done

if [ -d "$SRC/tests/e2e" ] && ls "$SRC"/tests/e2e/test_*.py >/dev/null 2>&1; then
	(cd "$SRC" && /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/e2e) \
	    >"$LOG/e2e.out" 2>&1
	p=$(grep -Eo '[0-9]+ passed' "$LOG/e2e.out" | tail -n 1 | grep -Eo '[0-9]+')
	f=$(grep -Eo '[0-9]+ (failed|error)' "$LOG/e2e.out" | awk '{s+=$1} END {print s+0}')
	p=${p:-0}; f=${f:-0}
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then echo "FAIL e2e"; cat "$LOG/e2e.out"; else echo "ok   e2e ($p)"; fi
fi

if [ -f "$SRC/tests/browser/run.mjs" ]; then
	(cd "$SRC" && node tests/browser/run.mjs) >"$LOG/browser.out" 2>&1
	p=$(sed -n 's/^browser: \([0-9]*\) passed.*/\1/p' "$LOG/browser.out" | tail -n 1)
	f=$(sed -n 's/^browser: [0-9]* passed, \([0-9]*\) failed.*/\1/p' "$LOG/browser.out" | tail -n 1)
	p=${p:-0}; f=${f:-1}
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then echo "FAIL browser"; cat "$LOG/browser.out"; else echo "ok   browser ($p)"; fi
fi

rm -rf "$LOG"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
