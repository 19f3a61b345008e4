"""Make the import fixture files: `python tests/data/make_fixtures.py` (the files are committed)."""

import csv
from datetime import date
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def make_id(birth, seq):
    first = f"610581{birth:%Y%m%d}{seq:03d}"
    return first + "10X98765432"[sum(int(d) * w for d, w in zip(first, WEIGHTS, strict=True)) % 11]


HEADER = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "入党时间",
    "公民身份号码",
    "手机号码",
    "所在党支部",
    "人员类别",
    "职业",
]
BRANCH = "城关镇东街社区党支部"
PEOPLE = [
    ("赵一", "男", date(1980, 5, 3), "2005.07", 11, "13900000001", "正式党员", 3),
    ("钱二", "女", date(1990, 8, 12), "2012年6月", 22, "13900000002", "预备党员", 5),
    ("孙三", "男", date(1975, 1, 30), "1999-07-01", 33, "13900000003", "正式党员", "⑧"),
]


def rows(people):
    for i, (name, gender, birth, joined, seq, phone, kind, occupation) in enumerate(people, start=1):
        yield [
            i,
            name,
            gender,
            "汉族",
            birth.strftime("%Y.%m"),
            joined,
            make_id(birth, seq),
            phone,
            BRANCH,
            kind,
            occupation,
        ]


def xlsx(name, data, *, title=True):
    wb = Workbook()
    ws = wb.active
    if title:  # the merged title rows people put above the header
        ws.append(["城关镇东街社区党支部党员花名册"])
        ws.merge_cells("A1:K1")
        ws.append(["填报日期：2026年11月1日"])
    ws.append(HEADER)
    for row in data:
        ws.append(row)
    wb.save(HERE / name)


def main():
    xlsx("roster_clean.xlsx", rows(PEOPLE))
    changed = [list(r) for r in rows(PEOPLE)]
    changed[0][7] = "13911112222"  # phone changed
    changed[1][9] = "正式党员"  # became a full member
    xlsx("roster_changed.xlsx", changed, title=False)
    bad = [list(r) for r in rows(PEOPLE)]
    bad.append(
        [
            4,
            "李四",
            "男",
            "汉族",
            "1985.03",
            "2008.07",
            "610581198503150010",
            "1390000",
            BRANCH,
            "正式党员",
            1,
        ]
    )  # check char
    bad.append(
        [
            5,
            "周五",
            "女",
            "汉族",
            "1986.03",
            "2008.07",
            make_id(date(1985, 3, 15), 44),
            "",
            BRANCH,
            "正式党员",
            1,
        ]
    )  # birth/sex
    bad.append(
        [
            6,
            "吴六",
            "男",
            "汉族",
            "1985.03",
            "明年",
            make_id(date(1985, 3, 15), 55),
            "",
            BRANCH,
            "正式党员",
            1,
        ]
    )  # date
    bad.append(
        [
            7,
            "郑七",
            "男",
            "汉族",
            "1985.03",
            "2008.07",
            make_id(date(1985, 3, 15), 77),
            "",
            "不存在的支部",
            "正式党员",
            1,
        ]
    )
    bad.append(list(next(rows(PEOPLE[:1]))))  # duplicate of row 1 within the file
    xlsx("roster_errors.xlsx", bad)
    with open(HERE / "roster_gbk.csv", "w", encoding="gbk", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows(PEOPLE))
    (HERE / "roster_truncated.xlsx").write_bytes((HERE / "roster_clean.xlsx").read_bytes()[:700])


if __name__ == "__main__":
    main()
