"""convmath: the convolution engine behind convanim (numpy only, never manim).

Everything a scene draws is computed here: the spec and its sizes, every step of the sliding
window, the superposition (scatter) view, the sparse matrix, the connectivity graph, the facts
captions state (:mod:`convmath.facts`), the one number/axis formatter (:mod:`convmath.fmt`) and
worked explanations in English and Spanish. Specs carry channels and groups (PyTorch's layouts);
:mod:`convmath.channels` counts their parameters and multiply-adds.
"""

from convmath.channels import ConvCounts, conv_counts, separable_specs
from convmath.deconv import ColumnRank, column_rank, deconvolve, transposed_image
from convmath.equation import EquationTerm, SubstitutedEquation, substitute
from convmath.errors import ConvMathError
from convmath.explain import describe_spec, explain, explain_step
from convmath.facts import (
    adjoint_or_none,
    axis_spec,
    axis_stamp_counts,
    axis_windows,
    canvas_spec,
    checkerboard_axes,
    cropped_input_cells,
    dropped_cells,
    same_output_input_sizes,
    stamp_counts,
    transposed_crop,
    uncropped_spec,
    unreached_cells,
)
from convmath.fmt import (
    MINUS,
    format_axes,
    format_index,
    format_int,
    format_number,
    format_padding,
    format_shape,
)
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
    comparison_stacks,
    parameter_count,
    receptive_window,
    receptive_windows,
    size_terms,
    stack_fields,
)
from convmath.sizes import (
    LayerField,
    SizeDerivation,
    derive_output_size,
    receptive_field,
)
from convmath.spec import MAX_CELLS, MAX_CHANNELS, MAX_PARAM, PADDING_MODES, ConvSpec

__all__ = [
    "ConvMathError",
    "ConvSpec",
    "PADDING_MODES",
    "MAX_PARAM",
    "MAX_CELLS",
    "MAX_CHANNELS",
    "ConvCounts",
    "conv_counts",
    "separable_specs",
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
    "format_int",
    "format_shape",
    "format_axes",
    "format_index",
    "format_padding",
    "MINUS",
    "adjoint_or_none",
    "canvas_spec",
    "axis_spec",
    "axis_stamp_counts",
    "stamp_counts",
    "checkerboard_axes",
    "axis_windows",
    "unreached_cells",
    "dropped_cells",
    "same_output_input_sizes",
    "transposed_crop",
    "cropped_input_cells",
    "uncropped_spec",
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
    "size_terms",
    "comparison_stacks",
    "EquationTerm",
    "SubstitutedEquation",
    "substitute",
]
