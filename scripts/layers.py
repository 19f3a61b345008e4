#!/usr/bin/env python3
"""The layer rule, checked: lianxin <- members <- tracing <- disposition <- reports.

A module may import only apps at or below its own layer, and no module is over LIMIT lines
(400 unless given). Migrations are exempt. Prints each violation; exits 1 if there is any.
    python3 scripts/layers.py [LIMIT]
"""

import ast
import pathlib
import sys

LAYERS = ["lianxin", "members", "tracing", "disposition", "reports"]
ROOT = pathlib.Path(__file__).resolve().parent.parent


def imported_apps(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            yield node.lineno, name


def violations(limit):
    for rank, app in enumerate(LAYERS):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            where = path.relative_to(ROOT)
            lines = text.count("\n")
            if lines > limit:
                yield f"{where}: {lines} lines (over {limit})"
            for lineno, name in imported_apps(ast.parse(text)):
                top = name.split(".")[0]
                if top in LAYERS and LAYERS.index(top) > rank:
                    yield f"{where}:{lineno} imports {name} (a layer above {app})"


if __name__ == "__main__":
    found = list(violations(int(sys.argv[1]) if len(sys.argv) > 1 else 400))
    print("\n".join(found) or "layers: no upward import, no module over the limit")
    sys.exit(1 if found else 0)
