"""The superposition scene's limits (:class:`scenes.superposition.Superposition`), manim-free."""

from __future__ import annotations

from convmath import ConvMathError, ConvSpec, canvas_spec
from convmath.explain import format_shape

__all__ = ["MAX_INPUT_CELLS", "MAX_CANVAS_SIDE", "check_spec"]

#: Most input cells (one stamp each) drawn: an 8×8 input (the gallery's largest is 7×7).
MAX_INPUT_CELLS = 64
#: Longest side of the stamped canvas (and of the equivalent direct grid).
MAX_CANVAS_SIDE = 16


def check_spec(spec: ConvSpec, mode: str = "numeric", *, name: str = "Superposition",
               max_input_cells: int = MAX_INPUT_CELLS, max_canvas_side: int = MAX_CANVAS_SIDE
               ) -> None:
    """Raise :class:`convmath.ConvMathError` if ``spec`` is past the drawable size: more than
    ``max_input_cells`` input cells (one stamp each), or a side of the stamped canvas
    (:func:`convmath.canvas_spec`) or of the direct grid longer than ``max_canvas_side``
    cells. ``mode`` is not the limit; ``name`` is the scene named in the message."""
    if spec.input_size > max_input_cells:
        raise ConvMathError(
            f"spec is too large for {name}: input {format_shape(spec.input_shape)} "
            f"has {spec.input_size} cells, one stamp each; the limit is "
            f"MAX_INPUT_CELLS={max_input_cells}"
        )
    side = max(*canvas_spec(spec).output_shape, *spec.grid_shape)
    if side > max_canvas_side:
        raise ConvMathError(
            f"spec is too large for {name}: a grid side of {side} cells (stamped "
            f"output {format_shape(canvas_spec(spec).output_shape)}, direct grid "
            f"{format_shape(spec.grid_shape)}); the limit is "
            f"MAX_CANVAS_SIDE={max_canvas_side}"
        )
