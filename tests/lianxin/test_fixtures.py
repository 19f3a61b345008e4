"""fixtures/: the code tables and the 统计表 columns are data files, and the code reads them.

The enums are built from the files; these tests hold the files to the seed's printed text and
to what the rest of the code (and the migrations) expect of the enums."""

import json

import pytest

from lianxin.fixtures import FIXTURES_DIR, code_table, legend, load
from lianxin.models import OrgCategory
from members.models import Occupation
from reports import builders, layout, relations
from tracing.models import LossReason

# The seed's 填表要求和指标解释 4–6, verbatim (000_f3b6ac696aa918a6.txt).
SEED_LEGENDS = {
    "loss_reasons": "①外出务工经商；②单位改制或破产；③毕业后去向不明；④工作单位改变；⑤出国（境）；⑥居住地改变；⑦其他（具体原因在备注栏中注明）。",
    "org_categories": "①国有企业；②非公有制企业；③农村；④党政机关；⑤学校；⑥其他事业单位；⑦街道社区；⑧社会组织；⑨其他。",
    "occupations": "①国有企业解除劳动关系人员；②非公有制企业离职人员；③农村外出务工经商人员；④党机关事业单位离退休人员；⑤高校毕业生；⑥街道社区人户分离人员；⑦组织关系在人才中心人员；⑧其他。",
}
ENUMS = {"loss_reasons": LossReason, "org_categories": OrgCategory, "occupations": Occupation}


def test_every_fixture_file_is_valid_json():
    files = sorted(FIXTURES_DIR.rglob("*.json"))
    assert len(files) >= 7
    for path in files:
        json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(ENUMS))
def test_the_enum_is_the_code_table(name):
    enum, rows = ENUMS[name], code_table(name)
    assert [(m.name, m.value, m.label) for m in enum] == [(r["key"], r["code"], r["label"]) for r in rows]
    assert [r["code"] for r in rows] == list(range(1, len(rows) + 1))  # ①, ②, … with no gap
    assert load(f"codes/{name}.json")["enum"] == f"{enum.__module__}.{enum.__qualname__}"


@pytest.mark.parametrize("name", sorted(ENUMS))
def test_the_forms_print_the_seeds_legend(name):
    assert legend(name) == SEED_LEGENDS[name]


def test_the_forms_legends_come_from_the_tables():
    assert SEED_LEGENDS["loss_reasons"] == builders.LOSS_LEGEND
    assert SEED_LEGENDS["org_categories"] == builders.CATEGORY_LEGEND
    assert SEED_LEGENDS["occupations"] == builders.OCCUPATION_LEGEND


def test_the_code_the_rest_of_lianxin_names_are_there():
    # Members named in code (services, demo, rules) and the defaults the migrations hold.
    assert LossReason.OTHER == 7 and LossReason.ABROAD == 5 and LossReason.MIGRANT_WORK == 1
    assert OrgCategory.OTHER == 9 and OrgCategory.RURAL == 3
    assert Occupation.OTHER == 8 and Occupation.GRADUATE == 5
    assert [r["key"] for r in code_table("loss_reasons") if r.get("remark_required")] == ["OTHER"]


def test_the_statistics_columns_and_relations_are_the_file():
    table = load("statistics.json")
    assert relations.COLUMNS == "ABCDEFGHIJKLMNOPQRSTUVWX" == "".join(c["letter"] for c in table["columns"])
    assert tuple((r["total"], r["parts"]) for r in table["relations"]) == relations.RELATIONS
    assert relations.AT_MOST == (("C", "DEF"),)
    # Every column sits under exactly one total, except A.
    parts = "".join(p for _t, p in relations.RELATIONS + relations.AT_MOST)
    assert sorted(parts + "A") == sorted(relations.COLUMNS)


def test_the_statistics_header_covers_every_cell_once():
    grid = {}
    for text, r1, c1, r2, c2 in layout.HEADER_CELLS:
        for row in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                assert (row, col) not in grid, text
                grid[row, col] = text
    assert set(grid) == {(r, c) for r in range(1, 5) for c in range(1, len(relations.COLUMNS) + 2)}
    assert [grid[4, c] for c in range(2, 26)] == list(relations.COLUMNS)
    assert grid[1, 1] == "统计单位" and load("statistics.json")["title"] == layout.TITLE
    assert layout.REMARKS[0].startswith("备注：1.表内关系：A＝B+O+X")
