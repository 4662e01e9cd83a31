#!/bin/sh
# Run the whole suite (tests/run.sh: unit + e2e) on PostgreSQL: starts the
# private server of start.sh (idempotent), points the unit tests
# (GIAPRANH_TEST_PG) and the e2e suite (GIAPRANH_E2E_DB_URL) at it.
#   tests/pg/run.sh [BUILD_DIR]
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
URL=$("$SRC/tests/pg/start.sh")
GIAPRANH_TEST_PG=$URL
# the e2e database is dropped and recreated by tests/e2e/conftest.py
GIAPRANH_E2E_DB_URL=$(printf '%s' "$URL" | sed 's|:///postgres?|:///giapranh_e2e?|')
export GIAPRANH_TEST_PG GIAPRANH_E2E_DB_URL
echo "PostgreSQL: $URL" >&2
exec sh "$SRC/tests/run.sh" "$BUILD"
