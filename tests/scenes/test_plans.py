"""Every scene's legibility check runs without manim (issue 20), and it is the scene's own.

``scenes.plans`` holds each scene's static plan and limit; the catalog names the check
(``SceneEntry.limits``) and the render pipeline refuses through it. :data:`LIMITS` has one row
per catalog scene: a scene added to the catalog without a row (and a manim-free check) fails
here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from convmath import ConvMathError, ConvSpec
from scenes.catalog import SCENE_NAMES, SCENES, legibility_check, load_scene_class, stack_check

ROOT = Path(__file__).resolve().parents[2]

#: Scene name → a spec too large for it to draw legibly (the fine spec is its default).
LIMITS: dict[str, ConvSpec] = {
    "sliding": ConvSpec((60, 60), 3),
    "matrix": ConvSpec((20, 20), 3),
    "connectivity": ConvSpec((9, 9), 3),
    "superposition": ConvSpec((9, 9), 3, transposed=True),
    "sizes": ConvSpec((90, 90), 3),
    "flip": ConvSpec((40, 40), 3),
    "equation": ConvSpec((80, 80), 3),
    "deconv": ConvSpec((80, 80), 3),
    "receptive": ConvSpec((300,), 3),
    "receptive_compare": ConvSpec((90, 90), 3),
    "channels": ConvSpec((40, 40), 3, in_channels=3, out_channels=2),
    "groups": ConvSpec((6, 6), 3, in_channels=64, out_channels=64),
    "features": ConvSpec((100, 100), 3, in_channels=3, out_channels=1),
    "paddings": ConvSpec((300,), 3),
    "sizes_transposed": ConvSpec((300,), 3, stride=2),
}

CODE = """
import sys
from convmath import ConvMathError, ConvSpec
from scenes.catalog import SCENES, legibility_check
from scenes.pipeline.run import check_legible
name, big = {name!r}, {big!r}
for mode in ("numeric", "schematic"):
    legibility_check(name)(SCENES[name].defaults.spec, mode)  # the default is fine
try:
    check_legible(name, big, "numeric")
except ConvMathError as exc:
    print(exc)
else:
    raise SystemExit("not refused")
print("manim" in sys.modules)
"""


def _run(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr + out.stdout
    return out.stdout.strip().splitlines()


@pytest.mark.parametrize("name", SCENE_NAMES)
def test_the_legibility_check_imports_no_manim(name: str) -> None:
    message, manim_loaded = _run(CODE.format(name=name, big=LIMITS[name]))
    assert "is too large for" in message
    assert manim_loaded == "False"


def test_the_stack_check_imports_no_manim() -> None:
    code = """
import sys
from convmath import ConvMathError, ConvSpec, build_stack
from scenes.catalog import stack_check
from scenes.stack_inputs import LayerStack
check = stack_check("receptive")
check(LayerStack.of(build_stack((16,), [3, (3, 2), (3, 1, 0, 2)])), "schematic")
try:
    check(LayerStack.repeat(ConvSpec((300,), 3)), "schematic")
except ConvMathError as exc:
    print(exc)
else:
    raise SystemExit("not refused")
print("manim" in sys.modules)
"""
    message, manim_loaded = _run(code)
    assert "is too large for receptive" in message
    assert manim_loaded == "False"


def test_only_stacking_scenes_have_a_stack_check() -> None:
    assert [n for n in SCENE_NAMES if stack_check(n) is not None] == [
        n for n, e in SCENES.items() if e.stacks]


@pytest.mark.parametrize("name", SCENE_NAMES)
def test_the_scene_class_refuses_with_the_same_check(name: str) -> None:
    """The class's ``check_spec`` (what ``ConvScene.__init__`` calls: notebooks refuse too) is
    the catalog's check: the same message, the default accepted."""
    cls = load_scene_class(name)
    big = LIMITS[name]
    with pytest.raises(ConvMathError) as by_catalog:
        legibility_check(name)(big, "numeric")
    with pytest.raises(ConvMathError) as by_class:
        cls.check_spec(big, mode="numeric")
    assert str(by_class.value) == str(by_catalog.value)
    cls.check_spec(SCENES[name].defaults.spec, mode="numeric")


def test_the_constructor_still_refuses() -> None:
    cls = load_scene_class("sliding")
    with pytest.raises(ConvMathError, match="is too large for SlidingFilter"):
        cls(LIMITS["sliding"])
