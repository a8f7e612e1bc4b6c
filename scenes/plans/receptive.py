"""The receptive-field scenes' plans and limits (:class:`scenes.receptive.ReceptiveField`,
:class:`scenes.receptive.StackComparison`), manim-free."""

from __future__ import annotations

from convmath import ConvSpec, comparison_stacks, receptive_windows, stack_fields
from scenes.layout import REF_FRAME_HEIGHT, REF_FRAME_WIDTH, Layout, check_cells, plan, px_480p
from scenes.layout.stack import TILT, StackRows, TiltedLevels, plan_stack_rows, plan_tilted_levels
from scenes.stack_inputs import LayerStack

__all__ = ["positions", "picked_cell", "plan_rows", "plan_grids", "check_stack", "check_spec",
           "COMPARE_LAYERS", "compare_kernel", "compare_input_shape", "plan_compare",
           "check_compare"]

#: Layers of the comparison's small-kernel and dilated stacks.
COMPARE_LAYERS = 3


def positions(stack: LayerStack) -> list[tuple[float, int]]:
    """Per level (the input first): ``(offset, jump)`` with cell ``u`` centred at input
    coordinate ``offset + u·jump`` (the guide's start, minus ½, and jump)."""
    out = [(0.0, 1)]
    for fields in stack_fields(stack.specs):
        out.append((fields[0].start - 0.5, fields[0].jump))
    return out


def picked_cell(stack: LayerStack) -> tuple[int, ...]:
    """The top layer's middle output cell."""
    return tuple((n - 1) // 2 for n in stack.specs[-1].output_shape)


def _extent(stack: LayerStack) -> tuple[float, float]:
    """The leftmost and rightmost input coordinates anything of the 1D figure reaches."""
    pos = positions(stack)
    xs = [pos[0][0], pos[0][0] + (stack.input_shape[0] - 1)]
    for level, (off, jump) in enumerate(pos[1:], start=1):
        xs += [off, off + (stack.specs[level - 1].output_shape[0] - 1) * jump]
    cell = picked_cell(stack)
    for q, win in enumerate(receptive_windows(stack.specs, cell)):
        off, jump = pos[len(stack.specs) - 1 - q]
        xs += [off + win.full[0][0] * jump, off + win.full[0][1] * jump]
    return min(xs), max(xs)


def plan_rows(stack: LayerStack, *, frame_width: float, frame_height: float) -> StackRows:
    """The 1D plan: one row per level, text rows above (title) and below (caption, formula);
    frame sizes in frame units."""
    return plan_stack_rows(len(stack.specs) + 1, _extent(stack), frame_width=frame_width,
                           frame_height=frame_height, top_rows=1, bottom_rows=2)


def plan_grids(stack: LayerStack, *, frame_width: float, frame_height: float) -> TiltedLevels:
    """The 2D plan: each level a grid in perspective, the input at the bottom; frame sizes in
    frame units."""
    shapes = [stack.input_shape] + [s.output_shape for s in stack.specs]
    return plan_tilted_levels(shapes, frame_width=frame_width, frame_height=frame_height,  # type: ignore[arg-type]
                              top_rows=1, bottom_rows=2)


def check_stack(stack: LayerStack, mode: str = "schematic") -> None:
    """Raise :class:`convmath.ConvMathError` when the levels' cells of :func:`plan_rows` (1D)
    or :func:`plan_grids` (2D, rows squashed by the tilt) at the reference 480p frame are
    smaller than :data:`scenes.layout.MIN_CELL_PX_480P` (the scene draws no numbers: ``mode``
    is not the limit). Larger inputs are judged as ``stack``'s first spec repeated."""

    def smallest(sp: ConvSpec) -> tuple[str, float]:
        st = stack if sp == stack.spec else LayerStack.repeat(sp)
        if sp.ndim == 1:
            lay = plan_rows(st, frame_width=REF_FRAME_WIDTH, frame_height=REF_FRAME_HEIGHT)
            return "the levels' cells", px_480p(lay.cell)
        grids = plan_grids(st, frame_width=REF_FRAME_WIDTH, frame_height=REF_FRAME_HEIGHT)
        return "the levels' cells", px_480p(grids.cell * TILT[1][1])  # squashed rows

    check_cells("receptive", stack.spec, smallest)


def check_spec(spec: ConvSpec, mode: str = "numeric") -> None:
    """:func:`check_stack` of ``spec`` stacked as often as it fits (the scene's default)."""
    check_stack(LayerStack.repeat(spec), mode)


def compare_kernel(spec: ConvSpec) -> int:
    """The comparison's small kernel: the spec's first kernel size, within 2–5."""
    return int(min(max(spec.kernel_shape[0], 2), 5))  # type: ignore[index]


def compare_input_shape(spec: ConvSpec, layers: int = COMPARE_LAYERS) -> tuple[int, ...]:
    """The spec's input, grown where needed to the widest field (the dilated stack's)."""
    least = comparison_stacks(spec.ndim, compare_kernel(spec), layers)["dilated"][0].input_shape
    return tuple(max(n, m) for n, m in zip(spec.input_shape, least))


def plan_compare(shape: tuple[int, ...], *, frame_width: float, frame_height: float) -> Layout:
    """The comparison's plan: two input grids of ``shape`` side by side (no numbers), a title
    row above and two text rows below; frame sizes in frame units."""
    return plan([[shape], [shape]], frame_width=frame_width, frame_height=frame_height,
                top_rows=1, bottom_rows=2, numeric=False)


def check_compare(spec: ConvSpec, mode: str = "numeric", *, layers: int = COMPARE_LAYERS
                  ) -> None:
    """Raise :class:`convmath.ConvMathError` when the input grids of :func:`plan_compare` (of
    :func:`compare_input_shape`) at the reference 480p frame have cells smaller than
    :data:`scenes.layout.MIN_CELL_PX_480P` (no numbers are drawn: ``mode`` is not the limit)."""

    def smallest(sp: ConvSpec) -> tuple[str, float]:
        lay = plan_compare(compare_input_shape(sp, layers), frame_width=REF_FRAME_WIDTH,
                           frame_height=REF_FRAME_HEIGHT)
        return "the input grids", px_480p(lay.cell)

    check_cells("receptive_compare", spec, smallest)
