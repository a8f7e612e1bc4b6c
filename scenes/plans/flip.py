"""The flip scene's plan and limit (:class:`scenes.flip.FlipVsCorrelation`), manim-free."""

from __future__ import annotations

from convmath import ConvSpec, uncropped_spec
from convmath.explain import format_shape
from scenes.layout import Layout, plan_best
from scenes.plans import check_planned_cells

__all__ = ["END_ROWS", "plan_layout", "check_spec"]

#: Text rows under the grids at the end: the results (1D), the verdict, the rule.
END_ROWS = 4


def plan_layout(spec: ConvSpec, *, frame_width: float, frame_height: float,
                numeric: bool = True, chars: int = 2, n_lines: int = 0) -> tuple[Layout, bool]:
    """The scene's layout: per side the input, kernel and output (stacked, or the input
    beside the other two), two title rows and ``max(n_lines, 3)`` text rows (the equations,
    then the results, the verdict and the rule in the same rows). Frame sizes in frame units;
    ``chars`` is the widest number's length. Returns ``(layout, equations)``.

    Equations are kept only when the numbers they name are readable in the cells; without
    them (``equations`` false) the grids get the room of the equation rows. The kernels'
    weights swap on shallow arcs within their own box (no room is kept for a turning disk:
    the grids get it).
    """
    s = spec
    g = uncropped_spec(s).grid_shape  # the drawn grid with its cropped cells (issue 12 #3)
    stacked = [[g, s.kernel_shape, s.output_shape]] * 2
    spread = [[g], [s.kernel_shape, s.output_shape]] * 2
    end = END_ROWS if s.ndim == 1 else END_ROWS - 1  # 2D: no result vectors
    kw = dict(frame_width=frame_width, frame_height=frame_height, top_rows=2,
              bottom_rows=max(n_lines, end), numeric=numeric, chars=chars)
    _, lay = plan_best([stacked, spread], **kw)
    if lay.numeric:
        return lay, True
    _, lay = plan_best([stacked, spread], **{**kw, "bottom_rows": 2})
    return lay, False


def check_spec(spec: ConvSpec, mode: str = "numeric", *, name: str = "FlipVsCorrelation"
               ) -> None:
    """Raise :class:`convmath.ConvMathError` when the cells of :func:`plan_layout` at the
    reference 480p frame (schematic: numeric mode falls back to it, so ``mode`` is not the
    limit) are smaller than :data:`scenes.layout.MIN_CELL_PX_480P`; ``name`` is the scene
    named in the message."""
    check_planned_cells(name, spec, plan_layout,
                        lambda sp: f"the drawn grids {format_shape(sp.grid_shape)}",
                        lambda planned: planned[0])
