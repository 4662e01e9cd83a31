#!/bin/sh
# Stop the server of tests/pg/start.sh; with --clean also remove its files.
#   tests/pg/stop.sh [--clean] [DIR]
set -eu
CLEAN=0
if [ "${1:-}" = "--clean" ]; then CLEAN=1; shift; fi
DIR=${1:-${GIAPRANH_PG_DIR:-/tmp/giapranh-pg}}
TEST_USER=giapranh-test
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

if [ -n "$BIN" ] && [ -f "$DIR/data/PG_VERSION" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$TEST_USER" -- "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop \
		    >/dev/null 2>&1 || true
	else
		"$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
fi
if [ "$CLEAN" -eq 1 ]; then
	rm -rf "$DIR"
fi
