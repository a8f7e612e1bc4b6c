"""The engine is numpy only: importing convmath never pulls in manim, scenes, cli or click."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import convmath

ENGINE = Path(convmath.__file__).parent
FORBIDDEN = {"manim", "scenes", "cli", "click", "cairo", "manimpango", "av", "PIL"}


def test_import_convmath_does_not_import_manim():
    code = (
        "import sys, convmath\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r})\n"
        "assert not bad, bad\n"
        "assert 'numpy' in sys.modules\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ENGINE.parent, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_engine_source_imports_only_stdlib_numpy_and_itself():
    files = sorted(ENGINE.glob("*.py"))
    assert len(files) >= 8
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert not roots & FORBIDDEN, f"{path.name}:{node.lineno} imports {roots}"
            assert roots <= set(sys.stdlib_module_names) | {"numpy", "convmath"}, (
                f"{path.name}:{node.lineno} imports {roots}")


def test_every_engine_module_declares_all():
    for path in sorted(ENGINE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {t.id for node in tree.body if isinstance(node, ast.Assign)
                 for t in node.targets if isinstance(t, ast.Name)}
        names |= {node.target.id for node in tree.body
                  if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)}
        assert "__all__" in names, path.name
    for name in convmath.__all__:
        assert hasattr(convmath, name), name


def test_docstring_examples_run():
    import doctest
    import importlib

    failures, attempted = 0, 0
    for path in sorted(ENGINE.glob("*.py")):
        module = importlib.import_module(f"convmath.{path.stem}" if path.stem != "__init__"
                                         else "convmath")
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        failures += result.failed
        attempted += result.attempted
    assert failures == 0
    assert attempted >= 5
