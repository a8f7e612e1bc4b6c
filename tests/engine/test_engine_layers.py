"""convmath's modules import one way (issue 13): no cycle, each module importable alone."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import convmath

ENGINE = Path(convmath.__file__).parent
MODULES = sorted(p.stem for p in ENGINE.glob("*.py") if p.stem != "__init__")


def _engine_imports(path: Path) -> set[str]:
    """The convmath modules ``path`` imports, at module level or inside functions alike."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "convmath" and len(parts) > 1 and parts[1] in MODULES:
                found.add(parts[1])
    return found - {path.stem}


def test_engine_import_graph_has_no_cycle():
    graph = {m: _engine_imports(ENGINE / f"{m}.py") for m in MODULES}
    # The former cycle: spec <-> sizes.
    assert "sizes" not in graph["spec"] and "spec" in graph["sizes"]
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        if state.get(m) == 2:
            return
        assert state.get(m) != 1, " -> ".join([*path, m])
        state[m] = 1
        for n in sorted(graph[m]):
            visit(n, [*path, m])
        state[m] = 2

    for m in MODULES:
        visit(m, [])


@pytest.mark.parametrize("module", MODULES)
def test_each_engine_module_imports_alone_in_a_fresh_interpreter(module):
    code = f"import importlib; print(importlib.import_module('convmath.{module}').__name__)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ENGINE.parent, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"convmath.{module}"


def test_every_engine_error_names_its_parameter():
    """Every ``raise ConvMathError(...)`` in convmath passes ``param=`` (issue 13)."""
    missing = []
    for path in sorted(ENGINE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                    and getattr(node.exc.func, "id", None) == "ConvMathError"
                    and not any(k.arg == "param" for k in node.exc.keywords)):
                missing.append(f"{path.name}:{node.lineno}")
    assert not missing, missing
