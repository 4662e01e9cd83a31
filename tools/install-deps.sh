#!/bin/sh
# Install the Debian packages giapranh needs to build, run and test.
# Idempotent: does nothing when everything is already installed.
set -eu

PACKAGES="build-essential meson ninja-build pkg-config python3
libmicrohttpd-dev libsqlite3-dev sqlite3 libpq-dev libsodium-dev
libutf8proc-dev libjansson-dev libcsv-dev libxlsxwriter-dev libzip-dev
libcmocka-dev libcurl4-openssl-dev libicu-dev python3-pytest python3-pytest-xdist python3-requests
python3-jsonschema
postgresql pgbouncer
chromium fonts-liberation2 unzip libxml2-utils
clang libclang-rt-dev"
# clang + its runtime libraries (libFuzzer, sanitizers; not pulled in without
# recommends): the fuzz targets of `make fuzz`, and their short run in make
# test.  `--fuzz` is still accepted (the same list).

# Node.js and npm serve only to fetch the front-end libraries and drive the
# browser tests; a machine may already have them from another source (whose
# nodejs bundles npm and conflicts with Debian's npm package).
if ! command -v node >/dev/null 2>&1; then
	PACKAGES="$PACKAGES nodejs"
fi
if ! command -v npm >/dev/null 2>&1; then
	PACKAGES="$PACKAGES npm"
fi

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	echo "Cài đặt gói Debian:$missing"
	SUDO=""
	if [ "$(id -u)" -ne 0 ]; then
		SUDO="sudo"
	fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# Front-end libraries (htmx, Pico CSS, Chart.js, Leaflet) and playwright-core
# for the browser tests, pinned by package-lock.json and served by the server.
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund
fi
