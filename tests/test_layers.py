"""The layer rule as a test: no module imports an app above its own, none is over 400 lines."""

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def load_checker():
    spec = importlib.util.spec_from_file_location("layers", ROOT / "scripts" / "layers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_upward_import_and_no_module_over_400_lines():
    assert list(load_checker().violations(400)) == []


def test_the_checker_sees_an_upward_import(tmp_path, monkeypatch):
    layers = load_checker()
    for app in layers.LAYERS:
        (tmp_path / app).mkdir()
    (tmp_path / "lianxin" / "core.py").write_text("from reports import builders\n")
    (tmp_path / "members" / "big.py").write_text("x = 1\n" * 401)
    monkeypatch.setattr(layers, "ROOT", tmp_path)
    found = list(layers.violations(400))
    assert found == [
        "lianxin/core.py:1 imports reports (a layer above lianxin)",
        "members/big.py: 401 lines (over 400)",
    ]
