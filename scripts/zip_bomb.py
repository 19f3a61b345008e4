"""A zip bomb shaped like a 花名册, and what refusing it costs (issue 14, item 2).

    .venv/bin/python scripts/zip_bomb.py make /tmp/bomb.xlsx [--gigabytes 4]
    LIANXIN_TESTING=1 .venv/bin/python scripts/zip_bomb.py refuse /tmp/bomb.xlsx
    LIANXIN_TESTING=1 .venv/bin/python scripts/zip_bomb.py refuse /tmp/bomb.xlsx --with-openpyxl

`make` writes a real workbook (every part a spreadsheet program expects) whose first sheet is a
header row and then gigabytes of data, so the file is a few MB and passes the 50 MB upload limit:
`--shape cell` (default) one member row whose 备注 cell runs to gigabytes (deflate shrinks a run
a thousandfold: 4.4 GB → 4.4 MB), `--shape rows` millions of identical member rows (about 230-fold). `refuse` hands it to the importer's
reader and prints the seconds and the peak memory (RSS) of this process until the refusal;
`--with-openpyxl` instead reads it the way the importer did before (openpyxl read-only mode), for
comparison (minutes and gigabytes: run it on a machine that has them).
"""

import argparse
import io
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER = "".join(
    f'<c t="inlineStr"><is><t>{label}</t></is></c>'
    for label in ("姓名", "性别", "出生年月", "入党时间", "身份证号", "联系电话", "所在党支部")
)
ROW = (
    "<row>"
    + "".join(
        f'<c t="inlineStr"><is><t>{value}</t></is></c>'
        for value in ("张三", "男", "1985.03", "2008.07", "61058119850315111X", "13900000000", "第一党支部")
    )
    + "</row>"
).encode()


def make(path, gigabytes, shape):
    from openpyxl import Workbook

    base = io.BytesIO()
    Workbook().save(base)
    block = ROW * 4096 if shape == "rows" else b"0" * (1 << 20)
    rounds = int(gigabytes * (1 << 30) // len(block)) + 1
    with (
        zipfile.ZipFile(base) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out,
    ):
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, src.read(info))
        with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                f'<worksheet xmlns="{MAIN}"><sheetData><row>{HEADER}<c t="inlineStr"><is><t>备注</t></is></c></row>'.encode()
            )
            if shape == "cell":
                sheet.write(ROW[: -len(b"</row>")] + b'<c t="inlineStr"><is><t>')
            for _ in range(rounds):
                sheet.write(block)
            if shape == "cell":
                sheet.write(b"</t></is></c></row>")
            sheet.write(b"</sheetData></worksheet>")
    inflated = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    print(f"{path}: {os.path.getsize(path) / 1e6:.1f} MB, inflates to {inflated / 1e9:.2f} GB")


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def refuse(path, with_openpyxl):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    import django

    django.setup()
    from members.importing.parsing import FileError, read_rows

    before = peak_mb()
    started = time.perf_counter()
    rows = 0
    try:
        if with_openpyxl:
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True, data_only=True)
            for _row in wb.worksheets[0].iter_rows(values_only=True):
                rows += 1
            outcome = f"read {rows} rows"
        else:
            for _row in read_rows(path, Path(path).name):
                rows += 1
            outcome = f"read {rows} rows (not refused!)"
    except FileError as exc:
        outcome = f"refused: {exc}"
    except MemoryError:
        outcome = f"MemoryError after {rows} rows"
    seconds = time.perf_counter() - started
    print(outcome)
    print(f"{seconds:.2f} s, peak RSS {peak_mb():.0f} MB (Django loaded: {before:.0f} MB)")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    make_cmd = sub.add_parser("make")
    make_cmd.add_argument("path")
    make_cmd.add_argument("--gigabytes", type=float, default=4.4)
    make_cmd.add_argument("--shape", choices=["cell", "rows"], default="cell")
    refuse_cmd = sub.add_parser("refuse")
    refuse_cmd.add_argument("path")
    refuse_cmd.add_argument("--with-openpyxl", action="store_true")
    args = parser.parse_args()
    if args.command == "make":
        make(args.path, args.gigabytes, args.shape)
    else:
        refuse(args.path, args.with_openpyxl)


if __name__ == "__main__":
    main()
