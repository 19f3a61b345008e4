"""Names, not strings: each permission codename is spelled once, in lianxin/perms.py.

Every other module names it (perms.LOG_SEARCH), so a rename or a typo fails at import, not
as a silent 403. The scan reads string constants from the syntax tree, so docstrings and
comments that mention a codename are not counted.
"""

import ast
import pathlib

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
