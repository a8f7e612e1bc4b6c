"""Facts about a spec that scenes draw and captions state, one small pure function each.

Scenes read these instead of doing arithmetic on spec fields (issue 13): the canvas a transposed
spec stamps onto, how many stamps reach each output cell, the checkerboard axes, the 1D spec of
one axis, the windows of one axis, the cells no window reaches, the input sizes with the same
output, the cells of the stretched input a negative grid padding crops, and the adjoint (or
``None``). Every function is O(cells of the axis or of the output) at most, never O(stride).

Index conventions are those of :mod:`convmath.ops`: grid coordinates index ``spec.grid_shape``
(the padded input, or the zero-inserted padded input of a transposed spec's equivalent direct
convolution), where window ``n`` of an axis starts at ``n·stride`` (direct) or ``n``
(transposed) and its taps are ``dilation`` apart.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from convmath.errors import ConvMathError
from convmath.formulas import same_output_sizes, stretched_size
from convmath.spec import ConvSpec

__all__ = [
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
    "padded_input_spec",
    "padding_columns",
    "stride_one_spec",
    "stride_kept_rows",
]


def _spec(spec: object) -> ConvSpec:
    if not isinstance(spec, ConvSpec):
        raise ConvMathError(f"spec={spec!r} is invalid: it must be a ConvSpec", param="spec")
    return spec


def _axis(spec: ConvSpec, axis: object) -> int:
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer) or not (
        0 <= axis < spec.ndim
    ):
        raise ConvMathError(
            f"axis={axis!r} is invalid: this spec has axes 0 to {spec.ndim - 1}", param="axis"
        )
    return int(axis)


def adjoint_or_none(spec: ConvSpec) -> ConvSpec | None:
    """:meth:`ConvSpec.adjoint`, or ``None`` when the spec has none.

    A transposed spec whose ``output_padding`` is not smaller than its stride (allowed because
    it is smaller than the dilation) has no direct adjoint: no direct convolution leaves that
    many cells over.
    """
    try:
        return _spec(spec).adjoint()
    except ConvMathError:
        return None


def canvas_spec(spec: ConvSpec) -> ConvSpec:
    """The spec whose output is the whole stamped area: a transposed spec without its cropping.

    A transposed convolution stamps onto ``(i−1)s + d(k−1) + 1 (+ output_padding)`` cells per
    axis and then crops ``padding`` from the borders; the same spec with ``padding=0`` says where
    every stamp lands. A direct spec stamps straight onto its output: it is returned unchanged.
    """
    spec = _spec(spec)
    if not spec.transposed:
        return spec
    return ConvSpec(
        spec.input_shape, spec.kernel_shape, stride=spec.stride, padding=0,
        dilation=spec.dilation, transposed=True, output_padding=spec.resolved_output_padding,
        flip=spec.flip,
    )


def axis_spec(spec: ConvSpec, axis: int, input_size: int | None = None) -> ConvSpec:
    """The 1D spec of one axis (optionally with another input size).

    Same kernel size, stride, dilation, resolved ``(before, after)`` padding, ``flip`` and
    ``transposed`` (with the axis's resolved ``output_padding``) as ``spec`` on ``axis``.

    Raises
    ------
    ConvMathError
        For a bad axis, or an ``input_size`` the axis's kernel does not fit.
    """
    spec = _spec(spec)
    a = _axis(spec, axis)
    extra = (dict(transposed=True, output_padding=spec.resolved_output_padding[a])
             if spec.transposed else {})
    return ConvSpec(
        (spec.input_shape[a] if input_size is None else input_size,),
        spec.kernel_shape[a],  # type: ignore[index]
        stride=spec.stride[a],  # type: ignore[index]
        padding=(spec.pads[a],),
        dilation=spec.dilation[a],  # type: ignore[index]
        flip=spec.flip,
        **extra,
    )


def axis_stamp_counts(spec: ConvSpec, axis: int) -> NDArray[np.int64]:
    """How many (input cell, weight) pairs reach each output cell along one axis.

    Direct: output ``n`` reads input ``n·s + m·d − p_before`` for each kernel offset ``m`` that
    lands inside the input. Transposed: input ``j`` writes output ``j·s + m·d − p_before``.
    O(k · max(i, o)).
    """
    spec = _spec(spec)
    a = _axis(spec, axis)
    i, o = spec.input_shape[a], spec.output_shape[a]
    k, s, d = spec.kernel_shape[a], spec.stride[a], spec.dilation[a]  # type: ignore[index]
    pb = spec.pads[a][0]
    counts = np.zeros(o, dtype=np.int64)
    if not spec.transposed:
        n = np.arange(o)
        for m in range(k):
            j = n * s + m * d - pb
            counts += (j >= 0) & (j < i)
        return counts
    j = np.arange(i)
    for m in range(k):
        n = j * s + m * d - pb
        counts += np.bincount(n[(n >= 0) & (n < o)], minlength=o)
    return counts


def stamp_counts(spec: ConvSpec) -> NDArray[np.int64]:
    """How many stamps (non-zeros of its matrix row) reach each output cell, ``output_shape``.

    The product of :func:`axis_stamp_counts` over the axes (the index relation is separable).
    For a transposed spec these are the superposition view's overlapping stamps.
    """
    spec = _spec(spec)
    out = np.ones((), dtype=np.int64)
    for a in range(spec.ndim):
        out = np.multiply.outer(out, axis_stamp_counts(spec, a))
    return out


def checkerboard_axes(spec: ConvSpec) -> tuple[int, ...]:
    """The axes on which a transposed spec's stamps overlap unevenly away from the borders.

    An inner output cell ``n`` of an axis gets one stamp per kernel offset ``m`` with
    ``m·d ≡ n (mod s)``; the counts are uneven exactly when the residues ``m·d mod s``
    (``m = 0 … k−1``) do not cover every residue equally (for dilation 1: ``k`` is not a multiple
    of ``s``). Direct specs: none. O(k) per axis, whatever the stride.
    """
    spec = _spec(spec)
    if not spec.transposed:
        return ()
    uneven = []
    for a in range(spec.ndim):
        k, s, d = spec.kernel_shape[a], spec.stride[a], spec.dilation[a]  # type: ignore[index]
        per_residue: dict[int, int] = {}
        for m in range(k):
            per_residue[m * d % s] = per_residue.get(m * d % s, 0) + 1
        if len(per_residue) < s or len(set(per_residue.values())) > 1:
            uneven.append(a)
    return tuple(uneven)


def _axis_geometry(spec: ConvSpec, a: int) -> tuple[int, int, int, int, int]:
    """``(grid length, windows, step on the grid, kernel size, dilation)`` of one axis."""
    step = 1 if spec.transposed else spec.stride[a]  # type: ignore[index]
    return (spec.grid_shape[a], spec.output_shape[a], step,
            spec.kernel_shape[a], spec.dilation[a])  # type: ignore[index]


def axis_windows(spec: ConvSpec, axis: int) -> tuple[tuple[int, ...], ...]:
    """The grid coordinates of every window's taps along one axis, window by window.

    Window ``n``: ``n·step + m·d`` for ``m = 0 … k−1`` (step = the stride for a direct spec, 1 on a
    transposed spec's zero-inserted grid). O(o·k).
    """
    spec = _spec(spec)
    _, o, step, k, d = _axis_geometry(spec, _axis(spec, axis))
    return tuple(tuple(n * step + m * d for m in range(k)) for n in range(o))


def unreached_cells(spec: ConvSpec, axis: int) -> tuple[int, ...]:
    """Grid coordinates of one axis that no tap of any window reads, ascending.

    Padding and input cells alike: the cells after the last window that the floor drops
    (:func:`dropped_cells`), the gaps between windows when the stride exceeds the dilated
    kernel, and dilation holes no other window covers. O(grid length + o·k / step).
    """
    spec = _spec(spec)
    n_grid, o, step, k, d = _axis_geometry(spec, _axis(spec, axis))
    reached = np.zeros(n_grid, dtype=bool)
    for m in range(k):
        reached[m * d: m * d + (o - 1) * step + 1: step] = True
    return tuple(int(v) for v in np.flatnonzero(~reached))


def dropped_cells(spec: ConvSpec, axis: int) -> range:
    """Grid coordinates after the last window's last tap: the cells ``floor`` drops.

    For a direct spec these are ``convmath.formulas.leftover_cells`` many, the last ones.
    """
    spec = _spec(spec)
    n_grid, o, step, k, d = _axis_geometry(spec, _axis(spec, axis))
    return range((o - 1) * step + (k - 1) * d + 1, n_grid)


def same_output_input_sizes(spec: ConvSpec, axis: int) -> range:
    """Every input size that gives this direct spec's output size on ``axis``, as a ``range``.

    With the resolved padding of ``spec`` (as ``derive_output_size`` says it). A transposed spec
    gives the direct input sizes its transpose cannot tell apart: those of its input size.
    """
    spec = _spec(spec)
    a = _axis(spec, axis)
    o = spec.input_shape[a] if spec.transposed else spec.output_shape[a]
    pb, pa = spec.pads[a]
    return same_output_sizes(o, spec.kernel_shape[a], spec.stride[a], pb, pa,  # type: ignore[index]
                             spec.dilation[a])


def transposed_crop(spec: ConvSpec) -> tuple[tuple[int, int], ...]:
    """Cells of the stretched input that the grid's negative padding cuts off, per axis.

    ``(before, after)`` = ``(max(−g_b, 0), max(−g_a, 0))`` for ``spec.grid_pads`` ``(g_b, g_a)``
    (``g = d(k−1) − p``, plus ``output_padding`` after): a transposed spec whose padding exceeds
    ``d(k−1)`` crops its stretched input. ``(0, 0)`` everywhere for a direct spec.
    """
    spec = _spec(spec)
    if not spec.transposed:
        return ((0, 0),) * spec.ndim
    return tuple((max(-gb, 0), max(-ga, 0)) for gb, ga in spec.grid_pads)


def cropped_input_cells(spec: ConvSpec, axis: int) -> tuple[int, ...]:
    """Input coordinates of one axis whose stretched cell :func:`transposed_crop` cuts off.

    Their values reach only output cells that the padding crops, so the equivalent direct
    convolution never reads them (issue 12 #3: draw them greyed, outside a crop line).
    """
    spec = _spec(spec)
    a = _axis(spec, axis)
    cb, ca = transposed_crop(spec)[a]
    i, s = spec.input_shape[a], spec.stride[a]  # type: ignore[index]
    n = stretched_size(i, s)
    before = range(0, min(-(-cb // s), i))  # j·s < cb
    after = range(max(-(-(n - ca) // s), len(before)), i) if ca else range(0)  # j·s >= n − ca
    return (*before, *after)


def uncropped_spec(spec: ConvSpec) -> ConvSpec:
    """``spec`` with each side's padding cut to what its grid crops nothing with.

    Its drawn grid (``grid_shape``, :func:`convmath.grid_values`, :func:`convmath.grid_input_index`)
    is ``spec``'s with the cells :func:`transposed_crop` cuts off put back: ``spec``'s grid
    cell ``g`` is this grid's cell ``g + crop_before`` per axis. A transposed spec's padding
    becomes ``min(p_b, d(k−1))`` before and ``min(p_a, d(k−1) + output_padding)`` after (the
    grid paddings ``max(g, 0)``); a spec that crops nothing (every direct spec) is returned
    unchanged. Scenes draw the cropped cells from it, greyed, beyond a crop line (issue 12 #3).
    """
    spec = _spec(spec)
    crop = transposed_crop(spec)
    if not any(b or a for b, a in crop):
        return spec
    pads = tuple((pb - cb, pa - ca) for (pb, pa), (cb, ca) in zip(spec.pads, crop))
    return ConvSpec(
        spec.input_shape, spec.kernel_shape, stride=spec.stride, padding=pads,
        dilation=spec.dilation, transposed=True, output_padding=spec.resolved_output_padding,
        flip=spec.flip, in_channels=spec.in_channels, out_channels=spec.out_channels,
        groups=spec.groups,
    )


def _direct(spec: object, what: str) -> ConvSpec:
    spec = _spec(spec)
    if spec.transposed:
        raise ConvMathError(f"spec={spec} is invalid for {what}: it must be a direct spec",
                            param="spec")
    return spec


def padded_input_spec(spec: ConvSpec) -> ConvSpec:
    """The same direct convolution over its padded input taken as the input (no padding).

    Its conv matrix has one column per cell of ``spec.grid_shape``; deleting the columns of the
    padding cells (:func:`padding_columns`) leaves ``conv_matrix(spec)``: padding is zeros, so
    its columns never count (issue 15: "padding deletes columns").

    Raises
    ------
    ConvMathError
        For a transposed spec.
    """
    spec = _direct(spec, "padded_input_spec")
    return ConvSpec(spec.grid_shape, spec.kernel_shape, stride=spec.stride, padding=0,
                    dilation=spec.dilation, flip=spec.flip)


def padding_columns(spec: ConvSpec) -> tuple[tuple[int, ...], dict[int, int]]:
    """The padded input's flat cells that are padding, and every other cell's flat input index.

    Returns ``(padding, kept)``: ``padding`` the flat indices (into ``spec.grid_shape``) of the
    padding cells, ascending; ``kept`` maps each other flat grid index to the flat input index
    whose column of ``conv_matrix(spec)`` it becomes. O(grid cells).

    Raises
    ------
    ConvMathError
        For a transposed spec.
    """
    from convmath.ops import grid_input_index

    spec = _direct(spec, "padding_columns")
    kinds = grid_input_index(spec).ravel()
    padding = tuple(int(g) for g in np.flatnonzero(kinds < 0))
    kept = {int(g): int(kinds[g]) for g in np.flatnonzero(kinds >= 0)}
    return padding, kept


def stride_one_spec(spec: ConvSpec) -> ConvSpec:
    """The same direct convolution with stride 1 on every axis (one row per window position).

    Raises
    ------
    ConvMathError
        For a transposed spec.
    """
    spec = _direct(spec, "stride_one_spec")
    return ConvSpec(spec.input_shape, spec.kernel_shape, stride=1, padding=spec.pads,
                    dilation=spec.dilation, flip=spec.flip)


def stride_kept_rows(spec: ConvSpec) -> tuple[int, ...]:
    """The rows of ``conv_matrix(stride_one_spec(spec))`` that are the rows of
    ``conv_matrix(spec)``, in order: output ``o`` of ``spec`` is stride-1 output ``o·s`` (per
    axis), flat in ``stride_one_spec(spec).output_shape``. O(output cells).

    Raises
    ------
    ConvMathError
        For a transposed spec.
    """
    spec = _direct(spec, "stride_kept_rows")
    one = stride_one_spec(spec)
    return tuple(
        int(np.ravel_multi_index(tuple(v * st for v, st in zip(o, spec.stride)),
                                 one.output_shape))
        for o in np.ndindex(*spec.output_shape)
    )
