"""Issue 14, item 2: an import cannot exhaust the server. The zip is checked before parsing (total
uncompressed size, compression ratio, number of entries); rows, columns and cell length are capped
while parsing; every refusal is a clear Chinese message. Files kept between preview and confirm live
in the one configured folder, expire, and a failed or abandoned preview leaves nothing behind."""

import io
import os
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from members.importing.parsing import FileError, read_rows
from members.importing.service import import_file
from members.models import Gender, Member
from tests.factories import next_id_number

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>身份证号</t></is></c></row>'
)


def xlsx_with_sheet(path, body_chunks, *, extra_entries=0):
    """A real workbook whose first sheet's XML is `body_chunks` (streamed into the zip, so a sheet of
    any size costs no memory here) between the header row and the end of the sheet."""
    base = io.BytesIO()
    wb = Workbook()
    wb.active.append(["姓名"])
    wb.save(base)
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, src.read(info))
                continue
            with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(f'<worksheet xmlns="{MAIN}"><sheetData>{HEADER_ROW}'.encode())
                for chunk in body_chunks:
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")
        for i in range(extra_entries):
            out.writestr(f"customXml/item{i}.xml", "<a/>")
    return path


def refusal(path, filename=None):
    with pytest.raises(FileError) as caught:
        for _row in read_rows(path, filename or path.name):
            pass
    return str(caught.value)


def test_a_zip_bomb_is_refused_before_parsing(tmp_path):
    # 64 MB of XML whitespace in a 64 KB zip entry: a ratio no spreadsheet has.
    path = xlsx_with_sheet(tmp_path / "bomb.xlsx", (b" " * (1 << 20) for _ in range(64)))
    assert os.path.getsize(path) < 200_000
    message = refusal(path)
    assert "压缩" in message and "异常" in message


def test_total_uncompressed_size_is_capped(tmp_path, monkeypatch):
    from members.importing import limits

    monkeypatch.setattr(limits, "MAX_UNCOMPRESSED_BYTES", 1 << 20)
    # 2 MB of varied rows: an ordinary compression ratio, but more than the (lowered) cap.
    rows = (
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{os.urandom(24).hex()}</t></is></c></row>'.encode()
        for i in range(2, 20_000)
    )
    message = refusal(xlsx_with_sheet(tmp_path / "big.xlsx", rows))
    assert "解压后" in message and "MB" in message


def test_too_many_zip_entries_are_refused(tmp_path):
    message = refusal(xlsx_with_sheet(tmp_path / "many.xlsx", [], extra_entries=3000))
    assert "文件数" in message


def test_rows_are_capped_in_xlsx_and_csv(tmp_path, monkeypatch):
    from members.importing import limits

    monkeypatch.setattr(limits, "MAX_ROWS", 20)
    rows = (
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>张{i}</t></is></c></row>'.encode()
        for i in range(2, 40)
    )
    assert "20 行" in refusal(xlsx_with_sheet(tmp_path / "rows.xlsx", rows))
    csv_path = tmp_path / "rows.csv"
    csv_path.write_text("姓名,身份证号\n" + "".join(f"张{i},1\n" for i in range(40)), encoding="utf-8")
    assert "20 行" in refusal(csv_path)


def test_columns_are_capped_in_xlsx_and_csv(tmp_path):
    far = '<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c><c r="ZZ2"><v>1</v></c></row>'
    assert "列" in refusal(xlsx_with_sheet(tmp_path / "far.xlsx", [far.encode()]))
    # Cells without coordinates count one after the other.
    wide = "<row>" + "".join(f"<c><v>{i}</v></c>" for i in range(5000)) + "</row>"
    assert "列" in refusal(xlsx_with_sheet(tmp_path / "wide.xlsx", [wide.encode()]))
    csv_path = tmp_path / "wide.csv"
    csv_path.write_text("姓名,身份证号\n" + "张三," + ",".join(["1"] * 5000) + "\n", encoding="utf-8")
    assert "列" in refusal(csv_path)


def test_cell_length_is_capped_in_xlsx_and_csv(tmp_path):
    long_cell = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{"王" * 40_000}</t></is></c></row>'
    assert "字符" in refusal(xlsx_with_sheet(tmp_path / "long.xlsx", [long_cell.encode()]))
    csv_path = tmp_path / "long.csv"
    csv_path.write_text("姓名,身份证号\n" + "王" * 200_000 + ",1\n", encoding="utf-8")
    assert "字符" in refusal(csv_path)


# ---- where files are kept between preview and confirm ---------------------------------------------


@pytest.fixture
def import_dir(settings, tmp_path):
    folder = tmp_path / "imports"
    settings.LIANXIN = {**settings.LIANXIN, "IMPORT_DIR": folder, "IMPORT_KEEP_MINUTES": 60}
    return folder


def kept(folder):
    return (
        sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        if folder.exists()
        else []
    )


def roster_csv(name="张三", birth=date(1985, 3, 15)):
    id_number = next_id_number(birth, Gender.MALE)
    body = f"姓名,性别,出生年月,入党时间,身份证号\n{name},男,{birth:%Y.%m},2008.07,{id_number}\n"
    upload = io.BytesIO(body.encode("utf-8"))
    upload.name = "花名册.csv"
    return upload


def upload(client, org, file):
    return client.post(reverse("member_import:upload"), {"organization": org.pk, "file": file})


def test_preview_keeps_one_file_in_the_configured_folder_and_confirm_removes_it(
    world, org, client_for, import_dir
):
    client = client_for("branch_a1")
    page = upload(client, org("branch_a1"), roster_csv())
    token = page.context["token"]
    assert page.context["report"].ok and kept(import_dir) == [f"{token}/upload.csv"]
    client.post(reverse("member_import:confirm"), {"token": token})
    assert Member.objects.filter(name="张三").exists() and kept(import_dir) == []


def test_a_refused_file_leaves_nothing_behind(world, org, client_for, import_dir, tmp_path):
    bomb = xlsx_with_sheet(tmp_path / "bomb.xlsx", (b" " * (1 << 20) for _ in range(64)))
    with open(bomb, "rb") as f:
        page = upload(client_for("branch_a1"), org("branch_a1"), f).content.decode()
    assert "压缩" in page and kept(import_dir) == [] and Member.objects.count() == 0


def test_a_preview_with_errors_keeps_only_the_rejected_rows_report(world, org, client_for, import_dir):
    client = client_for("branch_a1")
    page = upload(client, org("branch_a1"), roster_csv(name=""))
    token = page.context["token"]
    assert page.context["report"].errors and kept(import_dir) == [f"{token}/rejected.xlsx"]
    response = client.get(reverse("member_import:rejected", args=[token]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert client.post(reverse("member_import:confirm"), {"token": token}).status_code == 404


def test_a_crash_during_preview_leaves_nothing_behind(world, org, client_for, import_dir, monkeypatch):
    from members.importing import service

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "import_file", broken)
    client = client_for("branch_a1")
    client.raise_request_exception = False
    assert upload(client, org("branch_a1"), roster_csv()).status_code == 500
    assert import_dir.is_dir() and kept(import_dir) == []  # the configured folder, left empty


def test_a_new_upload_replaces_the_previous_preview(world, org, client_for, import_dir):
    client = client_for("branch_a1")
    first = upload(client, org("branch_a1"), roster_csv()).context["token"]
    second = upload(client, org("branch_a1"), roster_csv()).context["token"]
    assert first != second and kept(import_dir) == [f"{second}/upload.csv"]


def test_abandoned_previews_expire_on_the_next_upload_and_by_command(world, org, client_for, import_dir):
    old = upload(client_for("branch_a2"), org("branch_a2"), roster_csv()).context["token"]
    stale = time.time() - 2 * 3600
    os.utime(import_dir / old, (stale, stale))
    fresh = upload(client_for("branch_a1"), org("branch_a1"), roster_csv()).context["token"]
    assert kept(import_dir) == [f"{fresh}/upload.csv"]  # the cleanup ran on this upload

    os.utime(import_dir / fresh, (stale, stale))
    out = io.StringIO()
    call_command("clean_imports", stdout=out)
    assert kept(import_dir) == [] and "1" in out.getvalue()


def test_the_command_line_import_has_the_same_limits(world, tmp_path):
    bomb = xlsx_with_sheet(tmp_path / "bomb.xlsx", (b" " * (1 << 20) for _ in range(64)))
    with pytest.raises(FileError, match="压缩"):
        import_file(
            path=bomb,
            filename="bomb.xlsx",
            org=world.orgs["610581001001"],
            acting_user=world.users["branch_a1"],
        )


# ---- the bounded reader reads what openpyxl reads ---------------------------------------------------

PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/sharedStrings.xml": (
        f'<sst xmlns="{MAIN}" count="5" uniqueCount="5">'
        "<si><t>姓名</t></si><si><t>身份证号</t></si>"
        '<si><r><rPr><b/></rPr><t>张</t></r><r><t xml:space="preserve">三 </t></r><rPh sb="0" eb="1"><t>ZHANG</t></rPh></si>'
        "<si><t>=HYPERLINK(1)</t></si><si><t>一x005F_二</t></si>"
        "</sst>"
    ),
    "xl/styles.xml": (
        f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy.mm"/></numFmts>'
        '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>'
    ),
    "xl/worksheets/sheet1.xml": (
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:F5"/><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3"><v>61058119850315111</v></c>'
        '<c r="C3" s="1"><v>31121</v></c><c r="D3" s="2"><v>31121.5</v></c><c r="E3" t="b"><v>1</v></c>'
        '<c r="F3" t="str"><f>1+1</f><v>2</v></c></row>'
        '<row r="4"><c t="s"><v>3</v></c><c><v>1.5E3</v></c><c t="e"><v>#N/A</v></c>'
        '<c t="inlineStr"><is><t>内联</t></is></c><c r="F4" t="s"><v>4</v></c></row>'
        '<row r="5"/></sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>'
    ),
}


def test_the_bounded_reader_reads_what_openpyxl_reads(tmp_path):
    from openpyxl import load_workbook

    from members.importing.sheet import read_xlsx

    made = tmp_path / "made.xlsx"
    with zipfile.ZipFile(made, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in PARTS.items():
            zf.writestr(name, text)
    data = Path(__file__).resolve().parents[1] / "data"
    for path in [made, *sorted(data.glob("*.xlsx"))]:
        if path.name == "roster_truncated.xlsx":
            continue
        wb = load_workbook(path, read_only=True, data_only=True)
        expected = []
        for number, row in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
            values = list(row)
            while values and values[-1] in (None, ""):
                values.pop()
            if values:
                expected.append((number, values))
        wb.close()
        assert [(n, cells) for n, cells in read_xlsx(path) if cells] == expected, path.name
    assert expected and ("张三 " in dict(list(read_xlsx(made)))[3])
