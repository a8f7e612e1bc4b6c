"""Computing a convolution, and every intermediate step of it.

- :func:`convolve` — the result (vectorised, by shifted slices or by scatter).
- :func:`conv_steps` — one :class:`ConvStep` per output cell: the window over the drawn grid.
- :func:`scatter_steps` — one :class:`ScatterStep` per input cell: the superposition view.
- :func:`grid_values`, :func:`grid_input_index` — the drawn grid (padded, and for transposed
  zero-inserted) so that scenes draw it without recomputing it.
"""

from __future__ import annotations

import itertools
import math
import numbers
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from convmath._links import links
from convmath.errors import ConvMathError
from convmath.spec import ConvSpec

__all__ = [
    "PADDING_CELL",
    "INSERTED_ZERO",
    "Tap",
    "ConvStep",
    "Contribution",
    "ScatterStep",
    "check_array",
    "check_bias",
    "x_expected",
    "w_expected",
    "check_spec",
    "check_finite_result",
    "convolve",
    "conv_steps",
    "conv_step",
    "iter_conv_steps",
    "scatter_steps",
    "grid_values",
    "grid_input_index",
    "grid_kernel",
]

#: Marker in :func:`grid_input_index` for a padding cell.
PADDING_CELL = -1
#: Marker in :func:`grid_input_index` for a zero inserted between input cells (transposed).
INSERTED_ZERO = -2

Index = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Tap:
    """One kernel cell's part in one step.

    Attributes
    ----------
    kernel_index : tuple of int
        Index into the user's kernel ``w`` (``w_value == w[kernel_index]``).
    grid_index : tuple of int
        Where the tap lands on the drawn grid (``spec.grid_shape``).
    in_index : tuple of int or None
        The input cell, or ``None`` on padding or an inserted zero.
    x_value, w_value, product : float
        The grid value under the tap, the weight, and their product.
    in_channel : int
        The input channel the tap reads (0 without channels); its weight is
        ``w[spec.weight_slice(step.out_channel, in_channel) + kernel_index]``.
    """

    kernel_index: Index
    grid_index: Index
    in_index: Index | None
    x_value: float
    w_value: float
    product: float
    in_channel: int = 0


@dataclass(frozen=True, slots=True)
class ConvStep:
    """One output cell: its index, its value and the taps that sum to it.

    Attributes
    ----------
    out_index : tuple of int
        The output cell (row-major order across steps).
    value : float
        The sum of the taps' products plus the bias, equal to ``convolve(x, w, spec, bias)`` at
        ``out_index`` (at ``(out_channel, *out_index)`` with channels).
    taps : tuple of Tap
        One per kernel cell, in the order the kernel is laid on the grid (row-major offsets);
        with channels, those of each input channel of the group in turn.
    out_channel : int
        The output channel (0 without channels).
    bias : float
        The bias added to the sum (0 without a bias).
    """

    out_index: Index
    value: float
    taps: tuple[Tap, ...]
    out_channel: int = 0
    bias: float = 0.0

    def channel_sums(self) -> tuple[tuple[int, float], ...]:
        """``(in_channel, sum of its taps' products)`` per input channel, in tap order: the
        per-channel partial sums; with :attr:`bias` they add up to :attr:`value`."""
        sums: dict[int, float] = {}
        for t in self.taps:
            sums[t.in_channel] = sums.get(t.in_channel, 0.0) + t.product
        return tuple(sums.items())

    @property
    def window_origin(self) -> Index:
        """Grid index of the window's first cell (its top-left corner in 2D)."""
        return self.taps[0].grid_index


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one input cell adds to one output cell through one weight."""

    out_index: Index
    kernel_index: Index
    product: float


#: Largest magnitude a value may have (float64's range).
FLOAT_MAX = float(np.finfo(np.float64).max)


def _real_element(name: str, v: object) -> float:
    """One element of an object array as a float; :class:`ConvMathError` when it is no real."""
    if isinstance(v, bool | np.bool_) or not isinstance(v, numbers.Real):
        raise ConvMathError(
            f"{name} is invalid: it must be an array of numbers (real, finite), not of "
            f"{type(v).__name__} ({str(v)[:40]})",
            param=name,
        )
    try:
        return float(v)
    except OverflowError:
        raise ConvMathError(
            f"{name} is invalid: {str(v)[:20]}… is beyond the float range "
            f"(magnitudes up to about 1.8e308)", param=name,
        ) from None


_REFUSED_KINDS = {
    "b": "booleans (use 0 and 1)",
    "c": "complex numbers (the imaginary part would be dropped)",
    "M": "dates (datetime64)",
    "m": "durations (timedelta64)",
    "U": "text", "S": "bytes", "V": "structured records",
}


def check_array(name: str, value: ArrayLike, shape: tuple[int, ...], expected: str) -> NDArray:
    """``value`` as a float64 array of ``shape``, real and finite; :class:`ConvMathError` otherwise.

    Refused, naming the array (``param=name``): masked arrays (the mask would be ignored),
    booleans, complex numbers, datetime64/timedelta64, text, objects that are not real numbers,
    integers beyond float range (``10**400``), NaN and infinities, and a wrong shape.
    ``expected`` names where the shape comes from (``"spec.input_shape"``) for the message.
    """
    if np.ma.isMaskedArray(value):
        raise ConvMathError(
            f"{name} is invalid: masked arrays are not supported (the mask would be ignored); "
            f"fill the masked cells first, e.g. {name}.filled(0)", param=name,
        )
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise ConvMathError(f"{name} is invalid: it must be an array of numbers ({exc})",
                            param=name) from None
    kind = raw.dtype.kind
    if kind in _REFUSED_KINDS:
        raise ConvMathError(
            f"{name} is invalid: it must be an array of numbers (real, finite), not of "
            f"{_REFUSED_KINDS[kind]}",
            param=name,
        )
    if raw.shape != tuple(shape):
        raise ConvMathError(
            f"{name} has shape {raw.shape}, which is invalid: {expected} is {tuple(shape)}",
            param=name,
        )
    if kind == "O":
        arr = np.array([_real_element(name, v) for v in raw.ravel()],
                       dtype=np.float64).reshape(raw.shape)
    else:
        with np.errstate(over="ignore", invalid="ignore"):
            arr = raw.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ConvMathError(
            f"{name} is invalid: it contains NaN or infinite values (or values beyond the "
            f"float range); it must hold finite real numbers", param=name,
        )
    return arr


def check_spec(spec: object) -> ConvSpec:
    """``spec`` itself if it is a :class:`ConvSpec`; :class:`ConvMathError` otherwise."""
    if not isinstance(spec, ConvSpec):
        raise ConvMathError(f"spec={spec!r} is invalid: it must be a ConvSpec", param="spec")
    return spec


def _single_channel(spec: object, what: str) -> ConvSpec:
    """``spec`` when it has no channels; :class:`ConvMathError` (``param="in_channels"``)."""
    check_spec(spec)
    if spec.has_channels:  # type: ignore[attr-defined]
        raise ConvMathError(
            f"in_channels={spec.in_channels} is invalid for {what}: it shows one channel; "  # type: ignore[attr-defined]
            f"use spec.single() with one slice x[c] and w[spec.weight_slice(o, c)]",
            param="in_channels",
        )
    return spec  # type: ignore[return-value]


def check_finite_result(values: ArrayLike | float, what: str = "the result") -> None:
    """:class:`ConvMathError` (``param="x"``) when a computed value overflowed to ±inf or NaN.

    Inputs are finite (:func:`check_array`), but products and sums of values near 1e308 are not.
    """
    if not np.all(np.isfinite(values)):
        raise ConvMathError(
            f"x is invalid with this w: {what} overflows the float range (magnitudes up to "
            f"about 1.8e308); scale the values of x or w down", param="x",
        )


def x_expected(spec: ConvSpec) -> str:
    """Where the input's shape comes from, for messages."""
    return "spec.x_shape (in_channels, *input_shape)" if spec.has_channels else "spec.input_shape"


def w_expected(spec: ConvSpec) -> str:
    """Where the weights' shape comes from, for messages."""
    if not spec.has_channels:
        return "spec.kernel_shape"
    lead = "in_channels, out_channels // groups" if spec.transposed else \
        "out_channels, in_channels // groups"
    return f"spec.w_shape ({lead}, *kernel_shape)"


def _arrays(x: ArrayLike, w: ArrayLike, spec: ConvSpec) -> tuple[NDArray, NDArray]:
    check_spec(spec)
    xa = check_array("x", x, spec.x_shape, x_expected(spec))
    wa = check_array("w", w, spec.w_shape, w_expected(spec))
    return xa, wa


def check_bias(bias: ArrayLike | None, spec: ConvSpec) -> NDArray[np.float64] | None:
    """``bias`` as a float64 array ``(out_channels,)``, or ``None``; :class:`ConvMathError`
    (``param="bias"``) for a wrong length or values that are not finite reals."""
    if bias is None:
        return None
    return check_array("bias", bias, (spec.out_channels,), "(out_channels,)")


def convolve(x: ArrayLike, w: ArrayLike, spec: ConvSpec,
             bias: ArrayLike | None = None) -> NDArray[np.float64]:
    """The convolution's result, of shape ``spec.y_shape``.

    Equal to PyTorch's ``conv1d/conv2d`` (``flip=False``; asymmetric padding = pad first) and
    ``conv_transpose1d/2d`` (``transposed=True``) on a batch of one, with ``groups`` and an
    optional ``bias`` of shape ``(out_channels,)``; to ``scipy.signal.convolve``/``convolve2d``
    when ``flip=True`` (with channels: each 2D slice of the weights rotated).

    Shapes: ``x`` is ``spec.x_shape``, ``w`` is ``spec.w_shape`` (see :class:`ConvSpec`).

    Raises
    ------
    ConvMathError
        For bad arrays (``param="x"``, ``"w"``, ``"bias"``) or a result beyond the float range
        (``param="x"``).

    Examples
    --------
    >>> convolve([2, 1, 0, 1, 2], [1, -1], ConvSpec((5,), 2, flip=True))
    array([-1., -1.,  1.,  1.])
    """
    xa, wa = _arrays(x, w, spec)
    ba = check_bias(bias, spec)
    with np.errstate(over="ignore", invalid="ignore"):
        out = _convolve(xa, wa, spec)
        if ba is not None:
            out += ba.reshape((-1,) + (1,) * spec.ndim) if spec.has_channels else ba[0]
    check_finite_result(out)
    return out


def _convolve(xa: NDArray, wa: NDArray, spec: ConvSpec) -> NDArray[np.float64]:
    """The result without bias; a single-channel spec is the one-channel, one-group case."""
    if not spec.has_channels:
        return _convolve_groups(xa[None], wa[None, None], spec)[0]
    return _convolve_groups(xa, wa, spec)


def _convolve_groups(xa: NDArray, wa: NDArray, spec: ConvSpec) -> NDArray[np.float64]:
    """``xa`` ``(C_in, *input)``, ``wa`` in PyTorch's layout → ``(C_out, *output)``.

    Per group and kernel offset, one matrix product over the group's channels (``tensordot``).
    """
    spatial = tuple(range(2, 2 + spec.ndim))
    wu = np.flip(wa, axis=spatial) if spec.flip else wa
    cin = xa.shape[0] // spec.groups
    if not spec.transposed:
        cout = wa.shape[0] // spec.groups
        xp = np.pad(xa, ((0, 0), *spec.pads))
        out = np.zeros((wa.shape[0], *spec.output_shape))
        for g in range(spec.groups):
            xg, wg = xp[g * cin:(g + 1) * cin], wu[g * cout:(g + 1) * cout]
            for m in np.ndindex(*spec.kernel_shape):  # type: ignore[misc]
                sl = tuple(
                    slice(mi * d, mi * d + (o - 1) * s + 1, s)
                    for mi, d, o, s in zip(m, spec.dilation, spec.output_shape, spec.stride)
                )
                out[g * cout:(g + 1) * cout] += np.tensordot(
                    wg[(slice(None), slice(None), *m)], xg[(slice(None), *sl)], axes=(1, 0))
        return out
    cout = wa.shape[1]
    full_shape = tuple(
        (i - 1) * s + ke + op
        for i, s, ke, op in zip(
            spec.input_shape, spec.stride, spec.effective_kernel_shape,
            spec.resolved_output_padding,
        )
    )
    full = np.zeros((cout * spec.groups, *full_shape))
    for g in range(spec.groups):
        xg, wg = xa[g * cin:(g + 1) * cin], wu[g * cin:(g + 1) * cin]
        for m in np.ndindex(*spec.kernel_shape):  # type: ignore[misc]
            sl = tuple(
                slice(mi * d, mi * d + (i - 1) * s + 1, s)
                for mi, d, i, s in zip(m, spec.dilation, spec.input_shape, spec.stride)
            )
            full[(slice(g * cout, (g + 1) * cout), *sl)] += np.tensordot(
                wg[(slice(None), slice(None), *m)], xg, axes=(0, 0))
    crop = tuple(slice(pb, pb + o) for (pb, _), o in zip(spec.pads, spec.output_shape))
    return full[(slice(None), *crop)].copy()


def _axis_grid_map(spec: ConvSpec, axis: int) -> NDArray[np.int64]:
    """Per grid coordinate of one axis: the input coordinate, ``-1`` padding, ``-2`` zero."""
    n = spec.grid_shape[axis]
    gb = spec.grid_pads[axis][0]
    i, s = spec.input_shape[axis], spec.stride[axis]
    g = np.arange(n)
    if not spec.transposed:
        j = g - gb
        return np.where((j >= 0) & (j < i), j, PADDING_CELL)
    t = g - gb
    inside = (t >= 0) & (t <= (i - 1) * s)
    on_cell = inside & (t % s == 0)
    return np.where(on_cell, t // s, np.where(inside, INSERTED_ZERO, PADDING_CELL))


def grid_input_index(spec: ConvSpec) -> NDArray[np.int64]:
    """What each cell of the drawn grid is: the flat input index, or a marker.

    Returns an int array of ``spec.grid_shape`` holding the row-major input index at real input
    cells, :data:`PADDING_CELL` (−1) on padding and :data:`INSERTED_ZERO` (−2) on zeros inserted
    between input cells (transposed specs).
    """
    check_spec(spec)
    maps = [_axis_grid_map(spec, a) for a in range(spec.ndim)]
    grids = np.meshgrid(*maps, indexing="ij")
    out = np.zeros(spec.grid_shape, dtype=np.int64)
    flat = np.zeros(spec.grid_shape, dtype=np.int64)
    mult = 1
    for a in reversed(range(spec.ndim)):
        flat += np.maximum(grids[a], 0) * mult
        mult *= spec.input_shape[a]
    any_pad = np.any([g == PADDING_CELL for g in grids], axis=0)
    any_zero = np.any([g == INSERTED_ZERO for g in grids], axis=0)
    out[:] = flat
    out[any_zero] = INSERTED_ZERO
    out[any_pad] = PADDING_CELL
    return out


def grid_values(x: ArrayLike, spec: ConvSpec) -> NDArray[np.float64]:
    """The drawn grid's values: ``x`` at input cells, 0 on padding and inserted zeros.

    Shape ``spec.grid_shape``, or ``(in_channels, *spec.grid_shape)`` with channels.
    """
    check_spec(spec)
    xa = check_array("x", x, spec.x_shape, x_expected(spec))
    gmap = grid_input_index(spec)
    real = gmap >= 0
    if spec.has_channels:
        out = np.zeros((spec.in_channels, *spec.grid_shape))
        out[:, real] = xa.reshape(spec.in_channels, -1)[:, gmap[real]]
        return out
    out = np.zeros(spec.grid_shape)
    out[real] = xa.ravel()[gmap[real]]
    return out


def grid_kernel(w: ArrayLike, spec: ConvSpec) -> NDArray[np.float64]:
    """The kernel as it is laid on the drawn grid (flipped for ``flip`` xor ``transposed``;
    with channels every slice ``w[a, b]`` is flipped, the array keeps ``spec.w_shape``)."""
    check_spec(spec)
    wa = check_array("w", w, spec.w_shape, w_expected(spec))
    spatial = tuple(range(wa.ndim - spec.ndim, wa.ndim))
    return np.flip(wa, axis=spatial) if spec.flip != spec.transposed else wa


def _step_plan(spec: ConvSpec):
    """What every step shares: per-axis grid maps, the tap offsets and the kernel they use."""
    maps = [_axis_grid_map(spec, a) for a in range(spec.ndim)]
    flipped = spec.flip != spec.transposed
    kshape = spec.kernel_shape
    offsets = list(np.ndindex(*kshape))  # type: ignore[misc]
    kernel_of = [
        tuple(k - 1 - mi for mi, k in zip(m, kshape)) if flipped else m  # type: ignore[arg-type]
        for m in offsets
    ]
    step_on_grid = (1,) * spec.ndim if spec.transposed else spec.stride
    return maps, offsets, kernel_of, step_on_grid


def _make_step(xa: NDArray, wa: NDArray, spec: ConvSpec, plan, oc: int, o: Index,
               bias: float = 0.0) -> ConvStep:
    """Output ``o`` of output channel ``oc``: the taps of every input channel of its group.

    ``xa`` is ``(in_channels, *input_shape)`` and ``wa`` ``(a, b, *kernel_shape)`` (a single
    channel spec's arrays with two leading axes of 1)."""
    maps, offsets, kernel_of, step_on_grid = plan
    taps = []
    total = 0.0
    grid = [tuple(oi * st + mi * d for oi, st, mi, d in zip(o, step_on_grid, m, spec.dilation))
            for m in offsets]
    for c in spec.in_channels_of(oc):
        xc, wc = xa[c], wa[spec.weight_slice(oc, c)]
        for g, ki in zip(grid, kernel_of):
            coords = tuple(int(mp[gi]) for mp, gi in zip(maps, g))
            in_index = coords if min(coords) >= 0 else None
            xv = float(xc[in_index]) if in_index is not None else 0.0
            wv = float(wc[ki])
            prod = xv * wv
            total += prod
            taps.append(Tap(ki, g, in_index, xv, wv, prod, c))
    total += bias
    if not math.isfinite(total):
        where = f"channel {oc}, step {list(o)}" if spec.has_channels else f"step {list(o)}"
        check_finite_result(total, where)
    return ConvStep(o, total, tuple(taps), oc, bias)


def _step_arrays(x: ArrayLike, w: ArrayLike, spec: ConvSpec, bias: ArrayLike | None
                 ) -> tuple[NDArray, NDArray, NDArray]:
    """Checked arrays with channel axes (``(1, …)`` and ``(1, 1, …)`` without channels) and
    the bias per output channel (zeros without one)."""
    xa, wa = _arrays(x, w, spec)
    ba = check_bias(bias, spec)
    if not spec.has_channels:
        xa, wa = xa[None], wa[None, None]
    return xa, wa, np.zeros(spec.out_channels) if ba is None else ba


def _out_index(spec: ConvSpec, index: object) -> tuple[int, Index]:
    """``index`` as ``(out_channel, output cell)``: a flat int (row-major over
    ``spec.y_shape``) or a tuple (``(out_channel, *cell)`` with channels, ``cell`` without)."""
    shape = spec.y_shape
    n = spec.out_channels * spec.output_size
    if isinstance(index, int | np.integer) and not isinstance(index, bool):
        if not -n <= index < n:
            raise ConvMathError(
                f"index={index} is invalid: this spec has {n} steps (0 to {n - 1})",
                param="index",
            )
        full = tuple(int(v) for v in np.unravel_index(int(index) % n, shape))
    elif (isinstance(index, tuple) and len(index) == len(shape)
            and all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in index)
            and all(0 <= v < o for v, o in zip(index, shape))):
        full = tuple(int(v) for v in index)
    else:
        raise ConvMathError(
            f"index={index!r} is invalid: it must be a flat step number or an output cell "
            f"of {shape}", param="index",
        )
    return (full[0], full[1:]) if spec.has_channels else (0, full)


def conv_step(x: ArrayLike, w: ArrayLike, spec: ConvSpec, index: int | Index,
              bias: ArrayLike | None = None) -> ConvStep:
    """One step of the sliding window: the output cell ``index`` (flat row-major, or a tuple;
    with channels ``(out_channel, *cell)``).

    O(kernel cells + grid length), whatever the number of outputs, so a front end can show the
    first ``k`` steps of a large convolution in O(k) (issue 12 #9).

    Raises
    ------
    ConvMathError
        For bad arrays, a bad ``index`` (``param="index"``) or a step that overflows the float
        range (``param="x"``).
    """
    xa, wa, ba = _step_arrays(x, w, spec, bias)
    oc, o = _out_index(spec, index)
    return _make_step(xa, wa, spec, _step_plan(spec), oc, o, float(ba[oc]))


def iter_conv_steps(x: ArrayLike, w: ArrayLike, spec: ConvSpec,
                    bias: ArrayLike | None = None) -> Iterator[ConvStep]:
    """The steps of :func:`conv_steps` one at a time (row-major): O(1 step) memory."""
    xa, wa, ba = _step_arrays(x, w, spec, bias)
    plan = _step_plan(spec)
    for oc in range(spec.out_channels):
        for o in np.ndindex(*spec.output_shape):
            yield _make_step(xa, wa, spec, plan, oc, tuple(int(v) for v in o), float(ba[oc]))


def conv_steps(x: ArrayLike, w: ArrayLike, spec: ConvSpec,
               bias: ArrayLike | None = None) -> tuple[ConvStep, ...]:
    """Every step of the sliding window, one per output cell in row-major order.

    For a transposed spec the steps are those of its equivalent direct convolution (the
    convolution-arithmetic paper's view): ``s−1`` zeros inserted between input cells, padding
    ``d(k−1)−p`` (plus ``output_padding`` after), the kernel flipped, stride 1. For one step or a
    few, use :func:`conv_step` or :func:`iter_conv_steps`.

    With channels: one step per output channel and output cell (channel-major), each with the
    taps of every input channel of its group (``Tap.in_channel``) and the ``bias`` in its value.

    Raises
    ------
    ConvMathError
        For bad arrays (``param="x"``, ``"w"``, ``"bias"``), or a step whose sum overflows the
        float range (``param="x"``).
    """
    return tuple(iter_conv_steps(x, w, spec, bias))


class _RunningSum:
    """The output after step ``t`` of one :func:`scatter_steps` call, computed on demand.

    Memory O(output + non-zeros): one running array walked forward (restarted when asked for an
    earlier step), instead of one snapshot of the whole output per input cell.
    """

    def __init__(self, shape: tuple[int, ...], flat_outs: list[NDArray[np.int64]],
                 products: list[NDArray[np.float64]]) -> None:
        self._shape = shape
        self._outs, self._products = flat_outs, products
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._t = -1
        self._acc = np.zeros(math.prod(self._shape))

    def after(self, t: int) -> NDArray[np.float64]:
        with self._lock:
            if t < self._t:
                self._reset()
            while self._t < t:
                self._t += 1
                np.add.at(self._acc, self._outs[self._t], self._products[self._t])
            out = self._acc.reshape(self._shape).copy()
        out.flags.writeable = False
        return out


@dataclass(frozen=True, slots=True, eq=False)
class ScatterStep:
    """One input cell stamping the kernel onto the output (superposition view).

    Attributes
    ----------
    in_index : tuple of int
        The input cell (row-major order across steps).
    x_value : float
        Its value.
    contributions : tuple of Contribution
        Every output cell it reaches, through which weight, with the product.
    partial : numpy.ndarray
        The output after this and every earlier step (read-only; computed when read, O(output)
        memory each time, cheapest when the steps are read in order).
    """

    in_index: Index
    x_value: float
    contributions: tuple[Contribution, ...]
    _running: _RunningSum = field(repr=False)
    _t: int = field(repr=False)

    @property
    def partial(self) -> NDArray[np.float64]:
        """The output after this and every earlier step (read-only)."""
        return self._running.after(self._t)


def scatter_steps(x: ArrayLike, w: ArrayLike, spec: ConvSpec) -> tuple[ScatterStep, ...]:
    """The superposition view: each input cell multiplies the kernel and adds it to the output.

    One step per input cell (row-major), on one channel (a spec with channels:
    :class:`ConvMathError`, ``param="in_channels"``). Summing every contribution gives
    :func:`convolve`;
    ``partial`` is the output after the step. Works for direct and transposed specs. Memory
    O(input + output + non-zeros): the partial outputs are computed when read.

    Raises
    ------
    ConvMathError
        For bad arrays, or products that overflow the float range (``param="x"``).
    """
    _single_channel(spec, "scatter_steps")
    xa, wa = _arrays(x, w, spec)
    by_input: dict[Index, list[Contribution]] = {
        tuple(i): [] for i in itertools.product(*(range(n) for n in spec.input_shape))
    }
    for in_index, out_index, kernel_index in links(spec):
        by_input[in_index].append(
            Contribution(out_index, kernel_index, float(xa[in_index]) * float(wa[kernel_index]))
        )
    outs, prods = [], []
    for contribs in by_input.values():
        outs.append(np.array([np.ravel_multi_index(c.out_index, spec.output_shape)
                              for c in contribs], dtype=np.int64))
        prods.append(np.array([c.product for c in contribs], dtype=np.float64))
    if prods:
        check_finite_result(np.concatenate(prods), "a product")
    with np.errstate(over="ignore", invalid="ignore"):
        check_finite_result(convolve(xa, wa, spec))
    running = _RunningSum(spec.output_shape, outs, prods)
    return tuple(
        ScatterStep(in_index, float(xa[in_index]), tuple(contribs), running, t)
        for t, (in_index, contribs) in enumerate(by_input.items())
    )
