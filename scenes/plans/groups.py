"""The groups scene's plan and limit (:class:`scenes.groups.ChannelGroups`), manim-free."""

from __future__ import annotations

from convmath import ConvMathError, ConvSpec
from scenes.layout import REF_FRAME_HEIGHT, REF_FRAME_WIDTH, px_480p
from scenes.layout.stacks import BlockColumns, plan_block_columns

__all__ = ["MIN_BLOCK_PX", "plan_layout", "check_spec"]

#: Smallest channel block at 480p (a block must read as a square, its number is optional).
MIN_BLOCK_PX = 8.0


def plan_layout(spec: ConvSpec, *, frame_width: float, frame_height: float) -> BlockColumns:
    """Input │ depthwise │ output block columns, a title row and two text rows (frame
    units)."""
    return plan_block_columns([spec.in_channels, spec.in_channels, spec.out_channels],
                              frame_width=frame_width, frame_height=frame_height,
                              top_rows=1, bottom_rows=2)


def check_spec(spec: ConvSpec, mode: str = "numeric") -> None:
    """Raise :class:`convmath.ConvMathError` unless ``spec`` is direct, has at least 2 input
    channels and gets channel blocks of at least :data:`MIN_BLOCK_PX` at 480p in
    :func:`plan_layout` (``mode`` is not the limit)."""
    if spec.transposed:
        raise ConvMathError("transposed=True is invalid for ChannelGroups: it shows direct "
                            "convolutions", param="transposed")
    if spec.in_channels < 2:
        raise ConvMathError(f"in_channels={spec.in_channels} is invalid for ChannelGroups: "
                            "it needs at least 2 input channels", param="in_channels")
    lay = plan_layout(spec, frame_width=REF_FRAME_WIDTH, frame_height=REF_FRAME_HEIGHT)
    if px_480p(lay.side) < MIN_BLOCK_PX:
        raise ConvMathError(
            f"spec is too large for ChannelGroups: {max(spec.in_channels, spec.out_channels)}"
            f" channels in a column would get blocks of {px_480p(lay.side):.1f} px at 480p; "
            f"the limit is {MIN_BLOCK_PX:g} px (MIN_BLOCK_PX): about 30 channels fit",
            param="out_channels")
