"""The matrix scene's plan and limit (:class:`scenes.matrix.MatrixView`), manim-free."""

from __future__ import annotations

from convmath import ConvSpec, adjoint_or_none
from scenes.layout import (
    REF_FRAME_HEIGHT,
    REF_FRAME_WIDTH,
    MatrixLayout,
    check_cells,
    plan_matrix_best,
    px_480p,
)

__all__ = ["names_chars", "plan_layout", "check_spec"]


def names_chars(spec: ConvSpec) -> float:
    """Width, in characters, of a weight's name (``w₀₁`` in 2D, ``w₂`` in 1D)."""
    return 2.5 if spec.ndim == 2 else 1.8


def plan_layout(spec: ConvSpec, *, frame_width: float, frame_height: float,
                numeric: bool = True, chars: int = 2, entry_chars: float | None = None
                ) -> MatrixLayout:
    """The scene's layout, from the spec alone (no matrix is built).

    ``C`` is ``output_size × input_size`` (for a transposed spec also its direct adjoint's
    matrix, the transposed shape, drawn first when the adjoint exists); the input (the
    drawn grid, or the input of a transposed spec) and the kernel on the left and the output
    on the right, or, when long 1D rows leave the side numbers unreadable, all three stacked
    on the left. Frame sizes in frame units; ``chars`` is the widest input number's length,
    ``entry_chars`` the widest matrix entry's (``None``: weight names, :func:`names_chars`).
    """
    s = spec
    in_shape = s.input_shape if s.transposed else s.grid_shape
    kshape = tuple(s.kernel_shape)  # type: ignore[arg-type]
    adj = adjoint_or_none(s) if s.transposed else None  # none: output_padding >= stride
    pre_shape = None if adj is None else (adj.output_size, adj.input_size)
    arrangements = [([in_shape, kshape], [s.output_shape]),
                    ([in_shape, kshape, s.output_shape], [])]
    _, lay = plan_matrix_best(
        arrangements, (s.output_size, s.input_size),
        frame_width=frame_width, frame_height=frame_height, pre_shape=pre_shape,
        numeric=numeric, chars=chars,
        entry_chars=names_chars(s) if entry_chars is None else entry_chars,
    )
    return lay


def check_spec(spec: ConvSpec, mode: str = "numeric", *, name: str = "MatrixView") -> None:
    """Raise :class:`convmath.ConvMathError` when a cell of :func:`plan_layout` at the
    reference 480p frame is smaller than :data:`scenes.layout.MIN_CELL_PX_480P`: the side
    grids, the matrix ``C`` (in its compact view: coloured weights, blank zeros), the vector
    ``x`` (``input_size`` cells in a column) and ``y``. Numbers are never the limit (the matrix
    turns compact, the grids schematic; ``mode`` is accepted for the common signature). The
    matrix has ``output × input`` cells, so 2D specs reach it fast. ``name`` is the scene named
    in the message."""

    def smallest(sp: ConvSpec) -> tuple[str, float]:
        lay = plan_layout(sp, frame_width=REF_FRAME_WIDTH, frame_height=REF_FRAME_HEIGHT,
                          numeric=False)
        parts = [(f"the matrix C {lay.matrix.rows}×{lay.matrix.cols}", lay.matrix.cell),
                 (f"the vector x ({lay.x_vec.rows} cells)", lay.x_vec.cell),
                 ("the input, kernel and output grids", lay.cell)]
        if lay.pre is not None:
            parts.append((f"the matrix C {lay.pre.rows}×{lay.pre.cols}", lay.pre.cell))
        desc, cell = min(parts, key=lambda p: p[1])
        return desc, px_480p(cell)

    check_cells(name, spec, smallest)
