#!/bin/sh
# Compare two snapshots of tools/snapshot.py (before and after a change that
# must not change behaviour): every file byte for byte, and files that are
# in only one of them.  Prints, per part (meta, export, report, api, page),
# how many files were compared and how many differ, then the first
# differences with a few lines of diff each.
# Exit status: 0 when identical, 1 on any difference, 2 on bad usage.
#   tools/compare-snapshots.sh BEFORE AFTER [MAX_SHOWN]
set -u
if [ $# -lt 2 ] || [ ! -d "$1" ] || [ ! -d "$2" ]; then
	echo "usage: tools/compare-snapshots.sh BEFORE_DIR AFTER_DIR [MAX_SHOWN]" >&2
	exit 2
fi
A=$1
B=$2
MAX=${3:-20}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

(cd "$A" && find . -type f | sort) >"$TMP/a"
(cd "$B" && find . -type f | sort) >"$TMP/b"
comm -23 "$TMP/a" "$TMP/b" >"$TMP/only-a"
comm -13 "$TMP/a" "$TMP/b" >"$TMP/only-b"
comm -12 "$TMP/a" "$TMP/b" >"$TMP/both"
: >"$TMP/differ"
while IFS= read -r f; do
	cmp -s "$A/$f" "$B/$f" || printf '%s\n' "$f" >>"$TMP/differ"
done <"$TMP/both"

part() { # the first folder of ./part/...
	sed 's|^\./||; s|/.*||'
}
total_differ=$(wc -l <"$TMP/differ")
total_only=$(($(wc -l <"$TMP/only-a") + $(wc -l <"$TMP/only-b")))
printf '%-8s %9s %7s %9s %9s\n' part compared differ only-in-A only-in-B
for p in $(cat "$TMP/a" "$TMP/b" | part | sort -u); do
	printf '%-8s %9d %7d %9d %9d\n' "$p" \
	    "$(part <"$TMP/both" | grep -cx "$p")" \
	    "$(part <"$TMP/differ" | grep -cx "$p")" \
	    "$(part <"$TMP/only-a" | grep -cx "$p")" \
	    "$(part <"$TMP/only-b" | grep -cx "$p")"
done

shown=0
while IFS= read -r f; do
	[ "$shown" -ge "$MAX" ] && break
	shown=$((shown + 1))
	echo "--- only in $A: $f"
done <"$TMP/only-a"
while IFS= read -r f; do
	[ "$shown" -ge "$MAX" ] && break
	shown=$((shown + 1))
	echo "+++ only in $B: $f"
done <"$TMP/only-b"
while IFS= read -r f; do
	[ "$shown" -ge "$MAX" ] && break
	shown=$((shown + 1))
	echo "=== differs: $f"
	diff -u "$A/$f" "$B/$f" 2>/dev/null | sed -n '3,14p' | cut -c1-200
done <"$TMP/differ"

if [ "$total_differ" -eq 0 ] && [ "$total_only" -eq 0 ]; then
	echo "snapshots identical: $(wc -l <"$TMP/both") files"
	exit 0
fi
echo "snapshots differ: $total_differ files differ, $total_only in only one"
exit 1
