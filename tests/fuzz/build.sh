#!/bin/sh
# Build the libFuzzer targets tests/fuzz/fuzz_*.c with clang: the project's
# library is built in its own meson directory with coverage instrumentation
# (-fsanitize=fuzzer-no-link) and ASan/UBSan, and each target is linked
# against it with -fsanitize=fuzzer.
#   tests/fuzz/build.sh [FUZZ_BUILD_DIR]     (default build-fuzz)
# Prints the path of every target built.  The generated headers
# (schema/entities.h) are in the build directory: -I"$OUT/src".
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-build-fuzz}
case $OUT in /*) ;; *) OUT="$SRC/$OUT" ;; esac
command -v clang >/dev/null 2>&1 || {
	echo "fuzz: clang is needed (sh tools/install-deps.sh --fuzz, or apt-get install clang)" >&2
	exit 2
}
if [ ! -f "$OUT/build.ninja" ]; then
	CC=clang meson setup "$OUT" "$SRC" --buildtype=debug \
	    -Db_sanitize=address,undefined -Db_lundef=false \
	    -Dc_args=-fsanitize=fuzzer-no-link >&2
fi
ninja -C "$OUT" libgiapranh.a >&2
# the same libraries as meson.build's deps (a new one there belongs here too)
PKGS="sqlite3 libpq libmicrohttpd libsodium libutf8proc jansson libzip xlsxwriter zlib icu-i18n icu-uc libcurl"
mkdir -p "$OUT/fuzz"
for f in "$SRC"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$f" .c)
	# shellcheck disable=SC2046
	clang -std=c11 -g -O1 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
	    -Wall -Wextra -Werror -Wno-unused-parameter \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	    -I"$SRC/src" -I"$OUT/src" -I"$SRC/tests/fuzz" $(pkg-config --cflags $PKGS) \
	    "$f" "$OUT/libgiapranh.a" $(pkg-config --libs $PKGS) -lcsv -lm -lpthread \
	    -o "$OUT/fuzz/$name"
	echo "$OUT/fuzz/$name"
done
