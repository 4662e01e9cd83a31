#!/bin/sh
# Build and run every libFuzzer target for FUZZ_SECONDS (default 60) each,
# all at once (one process per target).  New inputs go to a scratch corpus
# under the build directory (the seeds in tests/fuzz/corpus/NAME stay as
# they are); a crash is saved as FUZZ_BUILD_DIR/crashes/NAME-crash-… and
# fails the run.  Ends with "fuzz: N passed, M failed" after one line per
# target with its executions.
#   tests/fuzz/run.sh [FUZZ_BUILD_DIR]        (`make fuzz`)
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-build-fuzz}
case $OUT in /*) ;; *) OUT="$SRC/$OUT" ;; esac
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=$(sh "$SRC/tests/fuzz/build.sh" "$OUT") || exit 2
mkdir -p "$OUT/crashes" "$OUT/logs"
# -timeout: one input taking that long is reported as a hang; every target
# runs at once, beside other work on a 2-core machine, so it is well above
# what a slow but finite input takes there
for t in $TARGETS; do
	name=${t##*/fuzz_}
	mkdir -p "$OUT/corpus/$name"
	"$t" -max_total_time="$SECONDS_EACH" -print_final_stats=1 -timeout=60 \
	    -rss_limit_mb=4096 -artifact_prefix="$OUT/crashes/$name-" \
	    "$OUT/corpus/$name" "$SRC/tests/fuzz/corpus/$name" \
	    >"$OUT/logs/$name.log" 2>&1 &
done
wait
passed=0
failed=0
for t in $TARGETS; do
	name=${t##*/fuzz_}
	log="$OUT/logs/$name.log"
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ -n "$execs" ] && ! grep -q "^==[0-9]*==ERROR\|^SUMMARY: \|deadly signal" "$log"; then
		passed=$((passed + 1))
		printf 'ok   %-8s %12s executions in %s s\n' "$name" "$execs" "$SECONDS_EACH"
	else
		failed=$((failed + 1))
		printf 'FAIL %-8s (see %s)\n' "$name" "$log"
		grep -m 5 "ERROR\|SUMMARY\|Test unit written" "$log"
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
