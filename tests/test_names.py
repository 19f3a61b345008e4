"""Names, not strings: each permission codename is spelled once, in lianxin/perms.py.

Every other module names it (perms.LOG_SEARCH), so a rename or a typo fails at import, not
as a silent 403. The scan reads string constants from the syntax tree, so docstrings and
comments that mention a codename are not counted.
"""

import ast
import pathlib
import re

from lianxin import perms

ROOT = pathlib.Path(__file__).resolve().parent.parent
HOME = ROOT / "lianxin" / "perms.py"
SKIPPED_DIRS = {".venv", ".git", "migrations", "node_modules"}
CODENAMES = {codename for codename, _label in perms.SCOPE_PERMISSIONS}
SPELLINGS = CODENAMES | {perms.qualified(codename) for codename in CODENAMES}


def python_files():
    for path in ROOT.rglob("*.py"):
        if SKIPPED_DIRS.isdisjoint(path.relative_to(ROOT).parts) and path != HOME:
            yield path


def spelled_codenames(source):
    """(line, literal) of every string constant that is a permission codename."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and node.value in SPELLINGS:
            yield node.lineno, node.value


def test_permission_codenames_are_spelled_only_in_lianxin_perms():
    found = [
        f"{path.relative_to(ROOT)}:{line} spells {literal!r}"
        for path in python_files()
        for line, literal in spelled_codenames(path.read_text())
    ]
    assert found == []


def test_the_scan_sees_a_spelled_codename_and_ignores_docstrings():
    source = (
        '"""Needs log_search."""\nPERM = "log_search"\nFULL = "lianxin.view_scope"\nOK = perms.LOG_SEARCH\n'
    )
    assert list(spelled_codenames(source)) == [(2, perms.LOG_SEARCH), (3, perms.qualified(perms.VIEW_SCOPE))]


def test_every_codename_is_an_organization_permission():
    from lianxin.models import Organization

    assert Organization._meta.permissions == perms.SCOPE_PERMISSIONS
    assert len(CODENAMES) == len(perms.SCOPE_PERMISSIONS)


# Statuses, kinds, channels, decisions and stage codes: code compares and filters on the
# TextChoices member (CaseStatus.OPEN), templates ask the model (case.is_open) or the enum the
# view passed. A code spelled raw in a comparison or a filter is what this catches; the same
# word as a dict key, a field name or a list filter's key is not a code and is left alone.
APPS = ("lianxin", "members", "tracing", "disposition", "reports")
STAGE_FIELDS = {"stage", "current_stage", "return_to"}  # the chain's codes, not model choices


def _choice_codes():
    import importlib
    import pkgutil

    from django.db import models

    from disposition.chain import StageKey

    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)
    pending, codes = [models.TextChoices], set()
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.split(".")[0] in APPS:
            codes |= set(cls.values)
    return codes | {value for name, value in vars(StageKey).items() if name.isupper()}


def _choice_fields():
    from django.apps import apps

    fields = {
        f.name for model in apps.get_models() for f in model._meta.get_fields() if getattr(f, "choices", None)
    }
    return {name for name in fields if not name.startswith("_")} | STAGE_FIELDS


def _literals(node):
    """The string constants of a constant or of a tuple, list or set of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def raw_codes(source, codes, fields):
    """(line, code) of each code compared (==, !=, in) or filtered on (status="open") raw."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            lefts = [node.left, *node.comparators[:-1]]
            for left, op, right in zip(lefts, node.ops, node.comparators, strict=True):
                # `x in ("open", …)` compares x with codes; `"open" in request.POST` asks for a key
                sides = [right] if isinstance(op, ast.In | ast.NotIn) else [left, right]
                for side in sides:
                    yield from ((node.lineno, v) for v in _literals(side) if v in codes)
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg and fields.intersection(keyword.arg.split("__")):
                    yield from ((keyword.value.lineno, v) for v in _literals(keyword.value) if v in codes)


TEMPLATE_COMPARISON = re.compile(r"""(?:==|!=)\s*["']([^"']+)["']|["']([^"']+)["']\s*(?:==|!=)""")


def template_codes(text, codes):
    for number, line in enumerate(text.splitlines(), 1):
        for match in TEMPLATE_COMPARISON.finditer(line):
            value = match.group(1) or match.group(2)
            if value in codes:
                yield number, value


def test_no_status_kind_channel_or_stage_code_is_spelled_raw():
    codes, fields = _choice_codes(), _choice_fields()
    found = [
        f"{path.relative_to(ROOT)}:{line} spells {code!r}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for line, code in raw_codes(path.read_text(), codes, fields)
    ]
    found += [
        f"{path.relative_to(ROOT)}:{line} compares with {code!r}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for line, code in template_codes(path.read_text(), codes)
    ]
    assert found == []


def test_the_code_scan_sees_comparisons_and_filters_only():
    source = (
        'if case.status == "open": pass\n'
        'Case.objects.filter(status__in=["open", "contacted"])\n'
        'panels = {"open": 1}\n'
        'row.get("open")\n'
        'if "open" in request.POST: pass\n'
        "ok = case.status == CaseStatus.OPEN\n"
    )
    codes = {"open", "contacted"}
    assert list(raw_codes(source, codes, {"status"})) == [(1, "open"), (2, "open"), (2, "contacted")]
    html = '{% if c.status == "open" %}x{% endif %}{% if c.is_open %}{% endif %}{% url "open" %}'
    assert list(template_codes(html, codes)) == [(1, "open")]
