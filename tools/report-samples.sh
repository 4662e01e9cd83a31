#!/bin/sh
# report-samples.sh - the five source situations' reports as a reviewer
# sees them: builds them (the unit test test_report, which also checks
# their DOCX XML), converts them to PDF through LibreOffice, and keeps the
# first and the last page of each as PNG in docs/samples/.
#   sh tools/report-samples.sh [BUILD_DIR]      (default: build)
# Needs soffice (libreoffice-writer) and pdftoppm (poppler-utils).
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/docs/samples"
for tool in soffice pdftoppm pdfinfo; do
	command -v "$tool" >/dev/null || { echo "report-samples: $tool is not installed" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/giapranh-samples-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
GIAPRANH_SAMPLES_DIR="$tmp" "$top/$build/tests/test_report" >/dev/null
mkdir -p "$out"
rm -f "$out"/*.png
for pdf in "$tmp"/*.pdf; do
	name=$(basename "$pdf" .pdf)
	pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
	pdftoppm -r 80 -png -f 1 -l 1 -singlefile "$pdf" "$out/$name-page1"
	if [ "$pages" -gt 1 ]; then
		pdftoppm -r 80 -png -f "$pages" -l "$pages" -singlefile "$pdf" "$out/$name-last"
	fi
done
ls "$out"
