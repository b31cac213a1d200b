#!/usr/bin/env bash
# Renders a workbook to PNG pages, as a person would see it printed:
# LibreOffice turns it into a PDF, then pdftoppm makes one PNG per page.
#
#   tests/tools/render.sh committee.xlsx [OUTDIR] [RESOLUTION]
#
# Needs libreoffice-calc (soffice) and poppler-utils (pdftoppm). Writes
# OUTDIR/<name>.pdf and OUTDIR/page-N.png (default OUTDIR: target/render).
set -euo pipefail
book=${1:?usage: render.sh WORKBOOK [OUTDIR] [RESOLUTION]}
out=${2:-target/render}
res=${3:-80}
for tool in soffice pdftoppm; do
  command -v "$tool" >/dev/null || { echo "render.sh: $tool is not installed (apt-get install libreoffice-calc-nogui poppler-utils)" >&2; exit 2; }
done
mkdir -p "$out"
rm -f "$out"/page-*.png
# A private profile, so parallel runs do not fight over LibreOffice's lock.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice --headless --norestore -env:UserInstallation=file://"$profile" \
  --convert-to pdf --outdir "$out" "$book" >/dev/null 2>&1
pdf="$out/$(basename "${book%.*}").pdf"
test -s "$pdf" || { echo "render.sh: LibreOffice did not produce $pdf" >&2; exit 1; }
pdftoppm -r "$res" -png "$pdf" "$out/page"
ls "$out"/page-*.png
