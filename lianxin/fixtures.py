"""The data files in fixtures/: the forms' code tables, the 统计表 columns, the demo county.

Each file is the one place its data is written (fixtures/README.md lists them). The code
tables become the models' choices here, at import time: a newcomer reads the codes in
fixtures/codes/*.json, and the enums (`LossReason.OTHER`, `OrgCategory.RURAL` …) keep their
names, values and labels, so no migration changes while a label stays the same.
"""

import json
from functools import cache
from pathlib import Path

from django.db import models

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


@cache
def load(relative: str):
    """The parsed JSON file fixtures/<relative> (read once per process; do not mutate it)."""
    with open(FIXTURES_DIR / relative, encoding="utf-8") as file:
        return json.load(file)


def code_table(name: str) -> list[dict]:
    """The rows of fixtures/codes/<name>.json: code, key (the enum member's name), label …"""
    return load(f"codes/{name}.json")["codes"]


def integer_choices(name: str, qualname: str, module: str):
    """An IntegerChoices enum built from the code table `name` (for a model's choices)."""
    enum = models.IntegerChoices(
        qualname,
        [(row["key"], (row["code"], row["label"])) for row in code_table(name)],
        module=module,
        qualname=qualname,
    )
    table = load(f"codes/{name}.json")
    enum.__doc__ = f"{table['table']}: the codes of fixtures/codes/{name}.json ({table['source']})."
    return enum


def legend(name: str) -> str:
    """The code table as the forms print it: "①外出务工经商；②…；⑦其他（具体原因在备注栏中注明）。"."""
    return (
        "；".join(f"{CIRCLED[row['code'] - 1]}{row.get('legend', row['label'])}" for row in code_table(name))
        + "。"
    )
