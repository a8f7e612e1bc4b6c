"""The scenes' static plans and legibility limits, without manim (issue 20).

A scene's layout depends on its spec alone, so it is planned here, one module per scene module
(``scenes.plans.sliding`` for :mod:`scenes.sliding`, …): the scene's ``plan_layout`` (what its
``construct`` draws into, from :mod:`scenes.layout`) and its ``check_spec(spec, mode)``, which
raises :class:`convmath.ConvMathError` when the spec is too large to draw legibly. The scene
classes use these same functions (their ``plan_layout`` and ``check_spec`` delegate here), and
each catalog entry names its check (:attr:`scenes.catalog.SceneEntry.limits`), so the CLI and
:func:`scenes.render` refuse a spec too large for a scene without importing manim.

Nothing in this package imports manim; ``tests/scenes/test_plans.py`` proves it for every scene.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from convmath import ConvSpec
from scenes.layout import REF_FRAME_HEIGHT, REF_FRAME_WIDTH, Layout, check_cells, px_480p

__all__ = ["check_planned_cells"]


def check_planned_cells(name: str, spec: ConvSpec, plan_layout: Callable[..., Any],
                        describe: Callable[[ConvSpec], str],
                        layout_of: Callable[[Any], Layout] = lambda planned: planned) -> None:
    """The usual legibility check: ``plan_layout(spec, frame_width=, frame_height=,
    numeric=False)`` at the reference 480p frame must give cells of at least
    :data:`scenes.layout.MIN_CELL_PX_480P` (numeric mode falls back to schematic, so numbers
    are never the limit).

    Parameters
    ----------
    name
        The scene's name for the message (its class name).
    spec
        The spec to check.
    plan_layout
        The scene's planner (frame units in, a plan out).
    describe
        ``describe(spec)`` names the grid with the smallest cells for the message.
    layout_of
        Picks the :class:`~scenes.layout.Layout` out of what ``plan_layout`` returns.

    Raises
    ------
    convmath.ConvMathError
        When the cells are too small (see :func:`scenes.layout.check_cells`).
    """

    def smallest(sp: ConvSpec) -> tuple[str, float]:
        lay = layout_of(plan_layout(sp, frame_width=REF_FRAME_WIDTH,
                                    frame_height=REF_FRAME_HEIGHT, numeric=False))
        return describe(sp), px_480p(lay.cell)

    check_cells(name, spec, smallest)
