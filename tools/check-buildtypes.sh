#!/bin/sh
# Every build type builds with -Werror (issue 13): configure and compile
# (no tests run) each variant in its own directory, build-check-NAME, kept
# between runs so that a second run only recompiles what changed.
#   release   --buildtype=release (-O3) -Db_sanitize=none: the optimiser's
#             warnings (-Wformat-truncation, -Wstringop-*) and the fault
#             tests without the sanitizer runtime
#   deploy    the options of `make run` (Makefile, RELEASE_OPTS: -O2,
#             _FORTIFY_SOURCE, stack protector, PIE, full RELRO); then
#             tests/build/test_hardening.py checks its binary
# With --all also every other meson build type (debug, debugoptimized,
# release, minsize, plain), each with the project's sanitizers (ASan +
# UBSan) and with -Db_sanitize=none.
# `make test` runs the short form (tests/run.sh); ends with
# "buildtypes: N passed, M failed".
# Usage: tools/check-buildtypes.sh [--all]   (JOBS=2 ninja jobs by default)
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
JOBS=${JOBS:-2}
LOG=$(mktemp -d)
trap 'rm -rf "$LOG"' EXIT
passed=0
failed=0

DEPLOY_OPTS=$(make -s --no-print-directory -C "$SRC" release-opts) || {
	echo "FAIL make release-opts (the options of make run)"
	echo "buildtypes: 0 passed, 1 failed"
	exit 1
}

variant() { # name meson-options...
	name=$1; shift
	dir="$SRC/build-check-$name"
	log="$LOG/$name.log"
	start=$(date +%s)
	if [ -f "$dir/build.ninja" ]; then
		# options may have changed since the last run
		meson configure "$dir" "$@" >"$log" 2>&1
	else
		rm -rf "$dir"
		meson setup "$dir" "$SRC" "$@" >"$log" 2>&1
	fi && ninja -C "$dir" -j "$JOBS" >>"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok   $name ($*): built in $secs s"
	else
		failed=$((failed + 1))
		echo "FAIL $name ($*): $secs s"
		# from the first failure on (the compiler's messages), else the
		# end of meson's output; not ninja's progress lines
		if grep -q '^FAILED: ' "$log"; then
			sed -n '/^FAILED: /,$p' "$log"
		else
			cat "$log"
		fi | grep -v '^\[[0-9]*/[0-9]*\] ' | head -n 60
	fi
	return "$rc"
}

variant release --buildtype=release -Db_sanitize=none
# shellcheck disable=SC2086
if variant deploy $DEPLOY_OPTS; then
	out="$LOG/hardening.log"
	GIAPRANH_RELEASE_BIN="$SRC/build-check-deploy/giapranh" /usr/bin/python3 -m pytest \
	    -q -p no:cacheprovider "$SRC/tests/build" >"$out" 2>&1
	p=$(grep -Eo '[0-9]+ passed' "$out" | tail -n 1 | grep -Eo '[0-9]+')
	f=$(grep -Eo '[0-9]+ (failed|error)' "$out" | awk '{s+=$1} END {print s+0}')
	p=${p:-0}; f=${f:-0}
	[ "$p" -eq 0 ] && [ "$f" -eq 0 ] && f=1
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL deploy: hardening of the binary"
		cat "$out"
	else
		echo "ok   deploy: $p hardening checks (tests/build/test_hardening.py)"
	fi
fi

if [ "${1:-}" = "--all" ]; then
	for bt in debug debugoptimized release minsize plain; do
		# the project's default sanitizers (meson.build), then none; the
		# debug one is what `make test` builds in build/
		variant "$bt-sanitize" --buildtype="$bt" -Db_sanitize=address,undefined
		[ "$bt" = release ] && continue # release without: done above
		variant "$bt" --buildtype="$bt" -Db_sanitize=none
	done
fi

echo "buildtypes: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
