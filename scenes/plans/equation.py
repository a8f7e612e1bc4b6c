"""The equation scene's plan and limit (:class:`scenes.equation.GeneralEquation`), manim-free."""

from __future__ import annotations

from convmath import ConvMathError, ConvSpec
from scenes.layout import REF_FRAME_HEIGHT, REF_FRAME_WIDTH, Layout, check_cells, plan_best, px_480p

__all__ = ["plan_layout", "check_spec"]


def plan_layout(spec: ConvSpec, *, frame_width: float, frame_height: float, numeric: bool = True,
                chars: int = 2) -> Layout:
    """Grids (padded input, kernel, output) between 3 text rows above and 4 (1D) or 3 below.
    Frame sizes in frame units; ``chars`` is the widest number's length."""
    grids = [spec.grid_shape, spec.kernel_shape, spec.output_shape]
    if spec.ndim == 1:
        arrangements = [[[spec.kernel_shape, spec.grid_shape, spec.output_shape]]]
    else:
        arrangements = [[[g] for g in grids]]
    return plan_best(arrangements, frame_width=frame_width, frame_height=frame_height,
                     top_rows=3, bottom_rows=4 if spec.ndim == 1 else 3, numeric=numeric,
                     chars=chars)[1]


def check_spec(spec: ConvSpec, mode: str = "numeric") -> None:
    """Raise :class:`convmath.ConvMathError` for a transposed spec (the scene writes the direct
    convolution's equation) or when the cells of :func:`plan_layout` at the reference 480p
    frame (in ``mode``: ``"numeric"`` or ``"schematic"``) are smaller than
    :data:`scenes.layout.MIN_CELL_PX_480P`."""
    if spec.transposed:
        raise ConvMathError(
            "transposed=True is invalid for the equation scene: it writes the direct "
            "convolution's equation (the matrix and superposition scenes show the transposed "
            "one)", param="transposed",
        )

    def smallest(sp: ConvSpec) -> tuple[str, float]:
        lay = plan_layout(sp, frame_width=REF_FRAME_WIDTH, frame_height=REF_FRAME_HEIGHT,
                          numeric=mode == "numeric")
        return "the padded input grid", px_480p(lay.cell)

    check_cells("equation", spec, smallest)
