#!/usr/bin/env bash
# The forms as printed, from the demo county: docs/forms/roster.png (失联党员名册),
# register.png (经查找仍然无法取得联系党员登记表), statistics.png (统计表), and record-1.png /
# record-2.png (the first copy of the 全程纪实表 of the demo case with the longest chain).
# The xlsx files are printed through LibreOffice (soffice --headless), the PDFs drawn by pdftoppm.
# Needs: libreoffice-calc (or -nogui), poppler-utils, fonts-noto-cjk. Uses a throw-away SQLite
# database, so the demo's db.sqlite3 is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in soffice pdftoppm; do
  command -v $tool >/dev/null || { echo "需要 $tool（apt-get install libreoffice-calc-nogui poppler-utils）" >&2; exit 1; }
done
PY=${PY:-.venv/bin/python}
OUT=docs/forms
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export DATABASE_URL="sqlite:///$WORK/demo.sqlite3" DEBUG=1
unset DATABASE_REPLICA_URL
$PY manage.py migrate -v0
$PY manage.py seed_demo >/dev/null
COUNTY=$($PY manage.py shell --no-imports -v0 -c "from lianxin.models import Organization; print(Organization.objects.get(depth=1).code)")
$PY manage.py export_roster --output "$WORK/roster.xlsx" --org "$COUNTY"
$PY manage.py export_register --output "$WORK/register.xlsx" --org "$COUNTY"
$PY manage.py export_statistics --output "$WORK/statistics.xlsx" --org "$COUNTY"
CASE=$($PY manage.py shell --no-imports -v0 -c "
from django.db.models import Count
from disposition.models import Disposition
print(Disposition.objects.annotate(n=Count('steps')).order_by('-n', 'pk').first().case_id)")
$PY manage.py record_pdf "$CASE" --output "$WORK/record.pdf"
soffice -env:UserInstallation="file://$WORK/lo" --headless --convert-to pdf --outdir "$WORK" \
  "$WORK/roster.xlsx" "$WORK/register.xlsx" "$WORK/statistics.xlsx" >/dev/null
mkdir -p "$OUT"
for form in roster register statistics; do
  pdftoppm -png -r 90 -f 1 -l 1 -singlefile "$WORK/$form.pdf" "$OUT/$form"
done
for page in 1 2; do
  pdftoppm -png -r 90 -f $page -l $page -singlefile "$WORK/record.pdf" "$OUT/record-$page"
done
echo "已生成：$(ls $OUT/*.png | tr '\n' ' ')"
