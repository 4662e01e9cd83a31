#!/bin/sh
# Lint the OpenAPI document (`giapranh openapi`, what GET /api/v1/openapi.json
# answers) with Redocly CLI (npm devDependency, installed by `npm ci`; runs
# offline), its recommended rules with every warning an error
# (tests/openapi/redocly.yaml).  Ends with "openapi-lint: N passed, M failed".
# Usage: tests/openapi/lint.sh BUILD_DIR
set -u
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# no telemetry, no update check: nothing leaves the machine
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
if ! "$SRC/$BUILD/giapranh" openapi >"$OUT/openapi.json"; then
	echo "giapranh openapi failed"
	echo "openapi-lint: 0 passed, 1 failed"
	exit 1
fi
if [ ! -x "$SRC/node_modules/.bin/redocly" ]; then
	echo "no node_modules/.bin/redocly: run npm ci (tools/install-deps.sh)"
	echo "openapi-lint: 0 passed, 1 failed"
	exit 1
fi
if (cd "$OUT" && "$SRC/node_modules/.bin/redocly" lint --config \
    "$SRC/tests/openapi/redocly.yaml" --format=stylish openapi.json); then
	echo "openapi-lint: 1 passed, 0 failed"
else
	echo "openapi-lint: 0 passed, 1 failed"
	exit 1
fi
