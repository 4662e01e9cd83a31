#!/bin/sh
# Fault injection, long form: every N of every operation of
# tests/unit/test_fault.c (the short form in `make test` samples N), first
# with one allocation failing, then with it and every later one failing;
# then the disk-full / I/O-error sweep of tests/unit/test_fault_io.c.
# Strict by default: an unclean result (a 4xx error or a success with
# another result after an allocation failure) fails too; pass
# GIAPRANH_FAULT_STRICT=0 to count those only.
# Usage: tests/fault/run.sh [BUILD_DIR]   (~1 hour on 2 cores)
set -u
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
export GIAPRANH_SRCDIR="$SRC"
export GIAPRANH_FAULT_STRIDE=1
export GIAPRANH_FAULT_STRICT=${GIAPRANH_FAULT_STRICT:-1}
rc=0
GIAPRANH_FAULT_PERSIST=0 "$SRC/$BUILD/tests/test_fault" || rc=1
GIAPRANH_FAULT_PERSIST=1 "$SRC/$BUILD/tests/test_fault" || rc=1
"$SRC/$BUILD/tests/test_fault_io" || rc=1
exit $rc
