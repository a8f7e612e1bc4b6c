"""convmath: the convolution engine behind convanim (numpy only, never manim).

Everything a scene draws is computed here: the spec and its sizes, every step of the sliding
window, the superposition (scatter) view, the sparse matrix, the connectivity graph, and worked
explanations in English and Spanish.
"""

from convmath.deconv import ColumnRank, column_rank, deconvolve, transposed_image
from convmath.errors import ConvMathError
from convmath.explain import describe_spec, explain, explain_step, format_number
from convmath.i18n import LANGS, text
from convmath.matrix import ConvMatrix, Edge, connectivity, conv_matrix
from convmath.ops import (
    INSERTED_ZERO,
    PADDING_CELL,
    Contribution,
    ConvStep,
    ScatterStep,
    Tap,
    conv_steps,
    convolve,
    grid_input_index,
    grid_kernel,
    grid_values,
    scatter_steps,
)
from convmath.presets import KERNEL_PRESETS, default_arrays, kernel_preset, random_values
from convmath.receptive import (
    ReceptiveWindow,
    build_stack,
    check_stack,
    parameter_count,
    receptive_window,
    receptive_windows,
    stack_fields,
)
from convmath.sizes import (
    LayerField,
    SizeDerivation,
    derive_output_size,
    receptive_field,
)
from convmath.spec import PADDING_MODES, ConvSpec

__all__ = [
    "ConvMathError",
    "ConvSpec",
    "PADDING_MODES",
    "Tap",
    "ConvStep",
    "Contribution",
    "ScatterStep",
    "ConvMatrix",
    "Edge",
    "LayerField",
    "SizeDerivation",
    "PADDING_CELL",
    "INSERTED_ZERO",
    "convolve",
    "conv_steps",
    "scatter_steps",
    "grid_values",
    "grid_input_index",
    "grid_kernel",
    "conv_matrix",
    "connectivity",
    "derive_output_size",
    "receptive_field",
    "explain",
    "explain_step",
    "describe_spec",
    "format_number",
    "text",
    "LANGS",
    "KERNEL_PRESETS",
    "kernel_preset",
    "random_values",
    "default_arrays",
    "ReceptiveWindow",
    "build_stack",
    "check_stack",
    "receptive_window",
    "receptive_windows",
    "stack_fields",
    "parameter_count",
    "ColumnRank",
    "column_rank",
    "deconvolve",
    "transposed_image",
]
