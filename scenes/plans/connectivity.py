"""The connectivity scene's limit (:class:`scenes.connectivity.Connectivity`), manim-free."""

from __future__ import annotations

from convmath import ConvMathError, ConvSpec
from convmath.explain import format_shape

__all__ = ["MAX_NODES_PER_ROW", "padded_row", "check_spec"]

#: Largest number of nodes in one row (an 8×8 input): beyond, edges cannot be told apart.
MAX_NODES_PER_ROW = 64


def padded_row(spec: ConvSpec) -> bool:
    """Whether the bottom row is the padded input (padding nodes dashed): 1D direct specs."""
    return spec.ndim == 1 and not spec.transposed


def check_spec(spec: ConvSpec, mode: str = "numeric", *, name: str = "Connectivity",
               max_nodes: int = MAX_NODES_PER_ROW) -> None:
    """Raise :class:`convmath.ConvMathError` if a row of ``spec``'s graph (the bottom row: the
    padded input of :func:`padded_row`, else the input; the top row: the output) holds more
    than ``max_nodes`` nodes. ``mode`` is not the limit; ``name`` is the scene named in the
    message."""
    bottom = spec.grid_shape[0] if padded_row(spec) else spec.input_size
    n = max(bottom, spec.output_size)
    if n > max_nodes:
        raise ConvMathError(
            f"spec is too large for {name}: a row would hold {n} nodes (input "
            f"{format_shape(spec.input_shape)}, output {format_shape(spec.output_shape)}); "
            f"the limit is MAX_NODES_PER_ROW={max_nodes} nodes (e.g. an 8×8 "
            f"input), beyond which the edges cannot be told apart"
        )
