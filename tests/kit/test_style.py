"""House rules on the kit's own source: no function over 80 lines (issue 13), the one text
factory (no scene builds a ``Text`` of its own)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: The kit, the layout package and the scenes built on them (other modules have their owners).
OWNED = [*sorted((ROOT / "scenes" / "kit").glob("*.py")),
         *sorted((ROOT / "scenes" / "layout").glob("*.py")),
         *(ROOT / "scenes" / f"{name}.py" for name in ("sliding", "flip", "sizes"))]


def _functions(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node.end_lineno - node.lineno + 1


@pytest.mark.parametrize("path", OWNED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_function_over_80_lines(path: Path) -> None:
    long = [(name, n) for name, n in _functions(path) if n > 80]
    assert long == []


@pytest.mark.parametrize("name", ["sliding", "flip", "sizes"])
def test_scenes_build_text_through_the_kit(name: str) -> None:
    """Scenes never call manim's Text/MarkupText themselves: the kit's factory does."""
    tree = ast.parse((ROOT / "scenes" / f"{name}.py").read_text())
    calls = [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Name) and n.func.id in ("Text", "MarkupText")]
    assert calls == []
