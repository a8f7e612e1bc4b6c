"""The deconv scene's plan and limit (:class:`scenes.deconv.NotDeconvolution`), manim-free."""

from __future__ import annotations

from convmath import ConvMathError, ConvSpec
from scenes.layout import REF_FRAME_HEIGHT, REF_FRAME_WIDTH, Layout, check_cells, plan_best, px_480p

__all__ = ["ORDER", "plan_layout", "check_spec"]

#: The planned grids, column by column: x | y, the kernel w | Cᵀ·y, C⁺·y.
ORDER: tuple[str, ...] = ("x", "y", "w", "t", "p")


def plan_layout(spec: ConvSpec, *, frame_width: float, frame_height: float, numeric: bool = True,
                chars: int = 2) -> Layout:
    """x | y over the kernel | Cᵀ·y over C⁺·y (three columns), or (1D) x, y, the kernel |
    Cᵀ·y, C⁺·y; the planned grids are always in :data:`ORDER`. (Four columns would send the
    arrow y → C⁺·y across Cᵀ·y.) Frame sizes in frame units; ``chars`` is the widest number's
    length."""
    i, o, k = spec.input_shape, spec.output_shape, spec.kernel_shape
    arrangements = [[[i], [o, k], [i, i]]]
    if spec.ndim == 1:
        arrangements.append([[i, o, k], [i, i]])
    return plan_best(arrangements, frame_width=frame_width, frame_height=frame_height,
                     top_rows=2, bottom_rows=2, numeric=numeric, chars=chars)[1]


def check_spec(spec: ConvSpec, mode: str = "numeric") -> None:
    """Raise :class:`convmath.ConvMathError` for a transposed spec (the scene applies the
    transpose itself) or when the cells of :func:`plan_layout` at the reference 480p frame (in
    ``mode``, numbers of up to 4 characters) are smaller than
    :data:`scenes.layout.MIN_CELL_PX_480P`."""
    if spec.transposed:
        raise ConvMathError(
            "transposed=True is invalid for the deconv scene: give the direct convolution; "
            "the scene applies its transpose", param="transposed",
        )

    def smallest(sp: ConvSpec) -> tuple[str, float]:
        lay = plan_layout(sp, frame_width=REF_FRAME_WIDTH, frame_height=REF_FRAME_HEIGHT,
                          numeric=mode == "numeric", chars=4)
        return "the grids", px_480p(lay.cell)

    check_cells("deconv", spec, smallest)
