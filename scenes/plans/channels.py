"""The channels scene's plan and limit (:class:`scenes.channels.ChannelFilter`), manim-free."""

from __future__ import annotations

from convmath import ConvSpec
from convmath.explain import format_shape
from scenes.layout.stacks import StackLayout, plan_stacks
from scenes.plans import check_planned_cells

__all__ = ["MAX_OUTPUT_COLUMN", "plan_layout", "check_spec"]

#: Output channels drawn as a column of separate grids (more: a stack in perspective).
MAX_OUTPUT_COLUMN = 4


def plan_layout(spec: ConvSpec, *, frame_width: float, frame_height: float,
                numeric: bool = True, chars: int = 2) -> StackLayout:
    """Input stack │ filter stack │ output channels, a title row, two text rows below. Frame
    sizes in frame units; ``chars`` is the widest number's length."""
    columns = {2} if spec.out_channels <= MAX_OUTPUT_COLUMN else set()
    return plan_stacks(
        [(spec.in_channels, spec.grid_shape), (spec.in_per_group, spec.kernel_shape),
         (spec.out_channels, spec.output_shape)],
        frame_width=frame_width, frame_height=frame_height, top_rows=1, bottom_rows=2,
        numeric=numeric, chars=chars, columns=columns,
    )


def check_spec(spec: ConvSpec, mode: str = "numeric", *, name: str = "ChannelFilter") -> None:
    """Raise :class:`convmath.ConvMathError` when the cells of :func:`plan_layout` at the
    reference 480p frame are smaller than :data:`scenes.layout.MIN_CELL_PX_480P` (numeric mode
    falls back to schematic: ``mode`` is not the limit); ``name`` is the scene named in the
    message."""
    check_planned_cells(
        name, spec, plan_layout,
        lambda sp: f"the stack of {sp.in_channels} {format_shape(sp.grid_shape)} grids")
