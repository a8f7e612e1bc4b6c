"""`ConvSpec`: a frozen, validated description of one convolution (1D or 2D, with channels).

A spec says *what* is computed; :mod:`convmath.ops` computes it and :mod:`convmath.formulas` holds
the size formulas the spec uses (:mod:`convmath.sizes` builds the derivations on top of both).

Every parameter is bounded (:data:`MAX_PARAM` per axis, :data:`MAX_CELLS` cells for the input,
the output and the drawn grid), so no spec can ask the engine for runaway work or memory.
"""

from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from convmath import formulas
from convmath.errors import ConvMathError

__all__ = ["ConvSpec", "PaddingArg", "PADDING_MODES", "MAX_PARAM", "MAX_CELLS", "MAX_CHANNELS"]

PADDING_MODES: tuple[str, ...] = ("valid", "same", "full")

#: Largest value of any one parameter on one axis (size, kernel, stride, dilation, padding,
#: output_padding). Sizes are Python ints throughout: nothing wraps around.
MAX_PARAM = 1_000_000
#: Most cells of the input, of the output and of the drawn grid (each); 80 MB as float64.
MAX_CELLS = 10_000_000
#: Most channels on either side (PyTorch's largest common layers have 2048–4096).
MAX_CHANNELS = 65_536

Pair: TypeAlias = tuple[int, int]
PaddingArg: TypeAlias = int | str | tuple[int, ...] | tuple[Pair, ...] | Pair
PerAxis: TypeAlias = int | tuple[int, ...]


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _fmt(value: object) -> str:
    """A value as the user wrote it, for error messages."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list | tuple):
        return "(" + ", ".join(_fmt(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return str(value)


def _shape(name: str, value: object) -> tuple[int, ...]:
    """Normalise ``input_shape``: an int (1D) or a tuple of 1 or 2 sizes >= 1."""
    given = value
    if _is_int(value):
        value = (value,)
    if not isinstance(value, tuple | list) or len(value) not in (1, 2):
        raise ConvMathError(
            f"{name}={_fmt(given)} is invalid: {name} must be (n,) for 1D or (h, w) for 2D",
            param=name,
        )
    for v in value:
        if not _is_int(v):
            raise ConvMathError(f"{name}={_fmt(given)} is invalid: sizes must be integers",
                                param=name)
        if v < 1:
            raise ConvMathError(f"{name}={_fmt(given)} is invalid: sizes must be >= 1",
                                param=name)
        if v > MAX_PARAM:
            raise ConvMathError(
                f"{name}={_fmt(given)} is invalid: sizes must be <= {MAX_PARAM:,} per axis",
                param=name,
            )
    shape = tuple(int(v) for v in value)
    _check_cells(name, given, shape)
    return shape


def _check_cells(name: str, given: object, shape: tuple[int, ...], what: str = "") -> None:
    """``shape`` has at most :data:`MAX_CELLS` cells (Python ints: no wrap-around)."""
    cells = _prod(shape)
    if cells > MAX_CELLS:
        raise ConvMathError(
            f"{name}={_fmt(given)} is invalid: {what or 'it'} has {cells:,} cells "
            f"({'×'.join(str(v) for v in shape)}); at most {MAX_CELLS:,} are allowed",
            param=name,
        )


def _per_axis(name: str, value: object, ndim: int, minimum: int) -> tuple[int, ...]:
    """Normalise an int-or-tuple argument to one integer >= ``minimum`` per axis."""
    values = (value,) * ndim if _is_int(value) else value
    if not isinstance(values, tuple | list) or len(values) != ndim:
        raise ConvMathError(
            f"{name}={_fmt(value)} is invalid: {name} must be an integer or a tuple of "
            f"{ndim} integer{'s' if ndim > 1 else ''} (one per axis)", param=name
        )
    for v in values:
        if not _is_int(v):
            raise ConvMathError(f"{name}={_fmt(value)} is invalid: {name} must be integers",
                                param=name)
        if v < minimum:
            raise ConvMathError(
                f"{name}={_fmt(value)} is invalid: {name} must be >= {minimum} on every axis",
                param=name,
            )
        if v > MAX_PARAM:
            raise ConvMathError(
                f"{name}={_fmt(value)} is invalid: {name} must be <= {MAX_PARAM:,} on every "
                f"axis", param=name,
            )
    return tuple(int(v) for v in values)


def _padding(value: object, ndim: int) -> str | tuple[Pair, ...]:
    """Normalise ``padding`` to a mode string or one ``(before, after)`` pair per axis."""
    allowed = (
        "an integer >= 0, one integer per axis, one (before, after) pair per axis, "
        "or one of 'valid', 'same', 'full'"
    )
    if isinstance(value, str):
        mode = value.strip().lower()
        if mode not in PADDING_MODES:
            raise ConvMathError(f"padding={value!r} is invalid: padding must be {allowed}",
                                param="padding")
        return mode
    given = value
    if _is_int(value):
        value = (value,) * ndim
    if not isinstance(value, tuple | list):
        raise ConvMathError(f"padding={_fmt(given)} is invalid: padding must be {allowed}",
                            param="padding")
    # A bare (before, after) pair is unambiguous in 1D.
    if ndim == 1 and len(value) == 2 and all(_is_int(v) for v in value):
        value = (tuple(value),)
    if len(value) != ndim:
        raise ConvMathError(
            f"padding={_fmt(given)} is invalid: expected {ndim} entr{'ies' if ndim > 1 else 'y'} "
            f"(one per axis); padding must be {allowed}", param="padding"
        )
    pairs: list[Pair] = []
    for entry in value:
        pair = (entry, entry) if _is_int(entry) else entry
        if (
            not isinstance(pair, tuple | list)
            or len(pair) != 2
            or not all(_is_int(v) for v in pair)
        ):
            raise ConvMathError(f"padding={_fmt(given)} is invalid: padding must be {allowed}",
                                param="padding")
        if min(pair) < 0:
            raise ConvMathError(
                f"padding={_fmt(given)} is invalid: padding must be >= 0 (a negative padding "
                f"would crop the input)", param="padding"
            )
        if max(pair) > MAX_PARAM:
            raise ConvMathError(
                f"padding={_fmt(given)} is invalid: padding must be <= {MAX_PARAM:,} on every "
                f"side", param="padding"
            )
        pairs.append((int(pair[0]), int(pair[1])))
    return tuple(pairs)


@dataclass(frozen=True, slots=True)
class ConvSpec:
    """One convolution, 1D or 2D, with channels and groups, validated on construction.

    Parameters
    ----------
    input_shape
        ``(n,)`` for 1D or ``(h, w)`` for 2D (a bare int means 1D).
    kernel_shape
        The kernel's size: an int (every axis) or one int per axis.
    stride, dilation
        An int >= 1 (every axis) or one per axis.
    padding
        An int >= 0, one int per axis, one ``(before, after)`` pair per axis, or ``"valid"``,
        ``"same"`` (TensorFlow's rule: output ``ceil(i/s)``, extra cell after; for transposed,
        output ``i*s``) or ``"full"`` (``d(k-1)`` each side).
    transposed
        PyTorch ``ConvTranspose`` semantics: the adjoint of the direct convolution with the same
        kernel, stride, padding and dilation.
    output_padding
        Transposed only: cells added after the output, each smaller than the stride or the dilation.
    flip
        ``False``: cross-correlation (deep learning). ``True``: mathematical convolution, kernel
        rotated 180° (``numpy.convolve``, ``scipy.signal.convolve2d``); with channels, each 2D
        slice of the kernel is rotated.
    in_channels, out_channels, groups
        PyTorch's ``Conv``/``ConvTranspose`` channel parameters, each an int >= 1; ``groups``
        divides both channel counts. With all three 1 (the default) arrays keep their
        single-channel shapes (``input_shape``, ``kernel_shape``, ``output_shape``); otherwise see
        :attr:`x_shape`, :attr:`w_shape`, :attr:`y_shape`.

    Attributes
    ----------
    ndim : int
        1 or 2.
    pads : tuple of (int, int)
        Resolved ``(before, after)`` padding per axis (for transposed: the cropping ``p``).
    resolved_output_padding : tuple of int
        ``output_padding``, or the one ``padding="same"`` implies for a transposed spec.
    effective_kernel_shape : tuple of int
        ``d(k-1)+1`` per axis.
    output_shape : tuple of int
        The result's shape.
    grid_shape : tuple of int
        Shape of the grid the sliding window runs over: the padded input (direct) or the
        zero-inserted, padded input of the equivalent direct convolution (transposed).
    grid_pads : tuple of (int, int)
        Padding of that grid per axis; negative means the stretched input is cropped.
    x_shape, w_shape, y_shape : tuple of int
        The shapes of the input, the weights and the result (PyTorch's layouts on a batch of
        one): ``(in_channels, *input_shape)``; ``(out_channels, in_channels // groups,
        *kernel_shape)`` direct or ``(in_channels, out_channels // groups, *kernel_shape)``
        transposed; ``(out_channels, *output_shape)``. Without channels: the spatial shapes.

    Raises
    ------
    ConvMathError
        Naming the parameter, the value and what is allowed.

    Examples
    --------
    >>> ConvSpec((5, 5), 3, stride=2, padding=1).output_shape
    (3, 3)
    >>> ConvSpec((2, 2), 3, stride=1, transposed=True).output_shape
    (4, 4)
    >>> ConvSpec((5, 5), 3, in_channels=4, out_channels=6, groups=2).w_shape
    (6, 2, 3, 3)
    """

    input_shape: tuple[int, ...]
    kernel_shape: PerAxis
    stride: PerAxis = 1
    padding: PaddingArg = 0
    dilation: PerAxis = 1
    transposed: bool = False
    output_padding: PerAxis = 0
    flip: bool = False
    in_channels: int = 1
    out_channels: int = 1
    groups: int = 1
    ndim: int = field(init=False, repr=False, compare=False)
    pads: tuple[Pair, ...] = field(init=False, repr=False, compare=False)
    resolved_output_padding: tuple[int, ...] = field(init=False, repr=False, compare=False)
    effective_kernel_shape: tuple[int, ...] = field(init=False, repr=False, compare=False)
    output_shape: tuple[int, ...] = field(init=False, repr=False, compare=False)
    grid_shape: tuple[int, ...] = field(init=False, repr=False, compare=False)
    grid_pads: tuple[Pair, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        put = object.__setattr__
        shape = _shape("input_shape", self.input_shape)
        ndim = len(shape)
        kernel = _per_axis("kernel_shape", self.kernel_shape, ndim, 1)
        stride = _per_axis("stride", self.stride, ndim, 1)
        dilation = _per_axis("dilation", self.dilation, ndim, 1)
        out_pad = _per_axis("output_padding", self.output_padding, ndim, 0)
        padding = _padding(self.padding, ndim)
        # Error messages quote the values as the user wrote them.
        given = {name: _fmt(getattr(self, name)) for name in
                 ("kernel_shape", "dilation", "padding", "output_padding")}
        for name in ("transposed", "flip"):
            if not isinstance(getattr(self, name), bool):
                raise ConvMathError(
                    f"{name}={getattr(self, name)!r} is invalid: {name} must be True or False",
                    param=name,
                )
        put(self, "input_shape", shape)
        put(self, "kernel_shape", kernel)
        put(self, "stride", stride)
        put(self, "dilation", dilation)
        put(self, "output_padding", out_pad)
        put(self, "padding", padding)
        put(self, "ndim", ndim)
        k_eff = tuple(formulas.effective_kernel_size(k, d) for k, d in zip(kernel, dilation))
        put(self, "effective_kernel_shape", k_eff)
        if self.transposed:
            self._resolve_transposed(padding, out_pad, given)
        else:
            self._resolve_direct(padding, out_pad, given)
        self._check_channels()

    def _check_channels(self) -> None:
        """Channel counts: ints in [1, MAX_CHANNELS], ``groups`` divides both, arrays bounded."""
        for name in ("in_channels", "out_channels", "groups"):
            v = getattr(self, name)
            if not _is_int(v) or not 1 <= v <= MAX_CHANNELS:
                raise ConvMathError(
                    f"{name}={_fmt(v)} is invalid: {name} must be an integer from 1 to "
                    f"{MAX_CHANNELS:,}", param=name,
                )
            object.__setattr__(self, name, int(v))
        g = self.groups
        for name in ("in_channels", "out_channels"):
            c = getattr(self, name)
            if c % g:
                raise ConvMathError(
                    f"groups={g} is invalid with {name}={c}: groups must divide both "
                    f"in_channels and out_channels (here {self.in_channels} and "
                    f"{self.out_channels})", param="groups",
                )
        _check_cells("in_channels", self.in_channels, self.x_shape, "the input")
        _check_cells("out_channels", self.out_channels, self.y_shape, "the result")
        _check_cells("out_channels", self.out_channels, self.w_shape, "the weight array")

    def _resolve_direct(
        self, padding: str | tuple[Pair, ...], out_pad: tuple[int, ...], given: dict[str, str]
    ) -> None:
        put = object.__setattr__
        if any(out_pad):
            raise ConvMathError(
                f"output_padding={given['output_padding']} is invalid: output_padding is only "
                f"allowed with transposed=True", param="output_padding"
            )
        pads = tuple(
            _mode_pads_direct(padding, i, k, s, d) if isinstance(padding, str) else padding[a]
            for a, (i, k, s, d) in enumerate(
                zip(self.input_shape, self.kernel_shape, self.stride, self.dilation)
            )
        )
        out = []
        for a, ((pb, pa), i, ke) in enumerate(
            zip(pads, self.input_shape, self.effective_kernel_shape)
        ):
            if ke > i + pb + pa:
                raise ConvMathError(
                    f"kernel_shape={given['kernel_shape']} is invalid with "
                    f"dilation={given['dilation']}: on axis {a} the kernel spans {ke} cells, "
                    f"more than the padded input's {i + pb + pa} (input {i} + padding {pb}+{pa}); "
                    f"the kernel must fit inside the padded input", param="kernel_shape"
                )
            s, k, d = self.stride[a], self.kernel_shape[a], self.dilation[a]
            out.append(formulas.conv_output_size(i, k, s, pb, pa, d))
        grid = tuple(i + pb + pa for i, (pb, pa) in zip(self.input_shape, pads))
        _check_cells("padding", self.padding, grid, "the padded input")
        put(self, "pads", pads)
        put(self, "resolved_output_padding", (0,) * self.ndim)
        put(self, "output_shape", tuple(out))
        put(self, "grid_pads", pads)
        put(self, "grid_shape", grid)

    def _resolve_transposed(
        self, padding: str | tuple[Pair, ...], out_pad: tuple[int, ...], given: dict[str, str]
    ) -> None:
        put = object.__setattr__
        if padding == "same" and any(out_pad):
            raise ConvMathError(
                f"output_padding={given['output_padding']} is invalid with padding='same': "
                f"'same' fixes the output to input*stride, so output_padding must be 0",
                param="output_padding",
            )
        pads: list[Pair] = []
        resolved_op: list[int] = []
        for a, (i, k, s, d) in enumerate(
            zip(self.input_shape, self.kernel_shape, self.stride, self.dilation)
        ):
            if padding == "same":
                pb, pa, op = formulas.transposed_same_padding(k, s, d)
            elif isinstance(padding, str):
                (pb, pa), op = _mode_pads_direct(padding, i, k, s, d), out_pad[a]
            else:
                (pb, pa), op = padding[a], out_pad[a]
            if op >= s and op >= d:
                raise ConvMathError(
                    f"output_padding={given['output_padding']} is invalid: on axis {a} it must "
                    f"be smaller than the stride ({s}) or the dilation ({d})",
                    param="output_padding",
                )
            pads.append((pb, pa))
            resolved_op.append(op)
        out = []
        for a, ((pb, pa), op) in enumerate(zip(pads, resolved_op)):
            i, k, s, d = (
                self.input_shape[a],
                self.kernel_shape[a],
                self.stride[a],
                self.dilation[a],
            )
            o = formulas.transposed_output_size(i, k, s, pb, pa, d, op)
            if o < 1:
                raise ConvMathError(
                    f"padding={given['padding']} is invalid for this transposed convolution: on "
                    f"axis {a} the output size (i-1)s - p_before - p_after + d(k-1) + "
                    f"output_padding + 1 = ({i}-1)*{s} - {pb} - {pa} + {d}*({k}-1) + {op} + 1 = "
                    f"{o}; it must be >= 1", param="padding"
                )
            out.append(o)
        grid_pads = tuple(
            formulas.transposed_grid_padding(k, d, pb, pa, op)
            for k, d, (pb, pa), op in zip(self.kernel_shape, self.dilation, pads, resolved_op)
        )
        grid = tuple(
            formulas.stretched_size(i, s) + gb + ga
            for i, s, (gb, ga) in zip(self.input_shape, self.stride, grid_pads)
        )
        # The output (and the drawn grid) grow with the stride and the kernel: bound them too.
        name = "stride" if any(v > 1 for v in self.stride) else "kernel_shape"
        _check_cells(name, getattr(self, name), tuple(out), "the transposed output")
        _check_cells(name, getattr(self, name), grid, "the zero-inserted grid")
        put(self, "pads", tuple(pads))
        put(self, "resolved_output_padding", tuple(resolved_op))
        put(self, "output_shape", tuple(out))
        put(self, "grid_pads", grid_pads)
        put(self, "grid_shape", grid)

    # -- conveniences ------------------------------------------------------------------------

    @property
    def input_size(self) -> int:
        """Number of input cells."""
        return _prod(self.input_shape)

    @property
    def output_size(self) -> int:
        """Number of output cells."""
        return _prod(self.output_shape)

    @property
    def kernel_size(self) -> int:
        """Number of kernel cells."""
        return _prod(self.kernel_shape)  # type: ignore[arg-type]

    @property
    def has_channels(self) -> bool:
        """``True`` unless ``in_channels``, ``out_channels`` and ``groups`` are all 1."""
        return (self.in_channels, self.out_channels, self.groups) != (1, 1, 1)

    @property
    def in_per_group(self) -> int:
        """Input channels each group reads: ``in_channels // groups``."""
        return self.in_channels // self.groups

    @property
    def out_per_group(self) -> int:
        """Output channels each group writes: ``out_channels // groups``."""
        return self.out_channels // self.groups

    @property
    def x_shape(self) -> tuple[int, ...]:
        """The input array's shape: ``(in_channels, *input_shape)``, or ``input_shape``."""
        return (self.in_channels, *self.input_shape) if self.has_channels else self.input_shape

    @property
    def w_shape(self) -> tuple[int, ...]:
        """The weights' shape (PyTorch's layout): ``(out_channels, in_channels // groups, *k)``
        direct, ``(in_channels, out_channels // groups, *k)`` transposed, or ``kernel_shape``."""
        k: tuple[int, ...] = self.kernel_shape  # type: ignore[assignment]
        if not self.has_channels:
            return k
        if self.transposed:
            return (self.in_channels, self.out_per_group, *k)
        return (self.out_channels, self.in_per_group, *k)

    @property
    def y_shape(self) -> tuple[int, ...]:
        """The result's shape: ``(out_channels, *output_shape)``, or ``output_shape``."""
        return (self.out_channels, *self.output_shape) if self.has_channels else self.output_shape

    def single(self) -> ConvSpec:
        """The same convolution on one channel: what happens between one input channel and one
        output channel (one 2D slice of the weights)."""
        if not self.has_channels:
            return self
        return dataclasses.replace(self, in_channels=1, out_channels=1, groups=1)

    def channel_pairs(self) -> tuple[tuple[int, int], ...]:
        """Every ``(out_channel, in_channel)`` pair joined by a kernel slice, by output channel:
        output channel ``o`` of group ``g = o // (out_channels // groups)`` reads the input
        channels ``g·(in_channels // groups)`` up to ``(g+1)·(in_channels // groups) − 1``."""
        cin, cout = self.in_per_group, self.out_per_group
        return tuple((o, (o // cout) * cin + c) for o in range(self.out_channels)
                     for c in range(cin))

    def in_channels_of(self, out_channel: int) -> range:
        """The input channels that feed ``out_channel``: those of its group."""
        if not _is_int(out_channel) or not 0 <= out_channel < self.out_channels:
            raise ConvMathError(
                f"channel {_fmt(out_channel)} is invalid: out_channels is {self.out_channels}, "
                f"so a channel is 0 to {self.out_channels - 1}", param="out_channels",
            )
        g = out_channel // self.out_per_group
        return range(g * self.in_per_group, (g + 1) * self.in_per_group)

    def weight_slice(self, out_channel: int, in_channel: int) -> tuple[int, int]:
        """The two leading indices of ``w`` joining ``in_channel`` to ``out_channel``:
        ``(o, c mod in/groups)`` direct, ``(c, o mod out/groups)`` transposed.

        Raises
        ------
        ConvMathError
            When either channel is out of range (``param="in_channels"``/``"out_channels"``) or
            the two are in different groups (``param="groups"``).
        """
        for name, v, n in (("out_channels", out_channel, self.out_channels),
                           ("in_channels", in_channel, self.in_channels)):
            if not _is_int(v) or not 0 <= v < n:
                raise ConvMathError(
                    f"channel {_fmt(v)} is invalid: {name} is {n}, so a channel is 0 to {n - 1}",
                    param=name,
                )
        cin, cout = self.in_per_group, self.out_per_group
        if out_channel // cout != in_channel // cin:
            raise ConvMathError(
                f"in_channel={in_channel} does not feed out_channel={out_channel}: with "
                f"groups={self.groups} they are in groups {in_channel // cin} and "
                f"{out_channel // cout}", param="groups",
            )
        if self.transposed:
            return (int(in_channel), int(out_channel % cout))
        return (int(out_channel), int(in_channel % cin))

    @property
    def padding_mode(self) -> str | None:
        """``"valid"``, ``"same"`` or ``"full"`` when padding was given by name, else ``None``."""
        return self.padding if isinstance(self.padding, str) else None

    def adjoint(self) -> ConvSpec:
        """The spec whose matrix is this spec's matrix transposed.

        A direct spec gives the transposed spec that maps its output shape back to its input
        shape (``output_padding`` = the cells the last window left over); a transposed spec gives
        the direct spec with the same kernel, stride, padding and dilation. Channels swap
        (``in_channels`` ↔ ``out_channels``, same ``groups``), and PyTorch's layouts make the
        adjoint's weights the same array: ``w_shape`` is unchanged.

        Raises
        ------
        ConvMathError
            For a transposed spec whose ``output_padding`` is not smaller than its stride: no
            direct convolution has that many left-over cells.
        """
        common = dict(
            in_channels=self.out_channels,
            out_channels=self.in_channels,
            groups=self.groups,
            kernel_shape=self.kernel_shape,
            stride=self.stride,
            dilation=self.dilation,
            padding=self.pads,
            flip=self.flip,
        )
        if not self.transposed:
            leftover = tuple(
                formulas.leftover_cells(i, k, s, pb, pa, d)
                for i, k, s, (pb, pa), d in zip(
                    self.input_shape, self.kernel_shape, self.stride, self.pads, self.dilation
                )
            )
            return ConvSpec(
                self.output_shape, transposed=True, output_padding=leftover, **common
            )
        for a, (op, s) in enumerate(zip(self.resolved_output_padding, self.stride)):
            if op >= s:
                raise ConvMathError(
                    f"output_padding={_fmt(self.output_padding)} has no direct adjoint: on axis "
                    f"{a} it is not smaller than the stride ({s})", param="output_padding"
                )
        return ConvSpec(self.output_shape, **common)


def _mode_pads_direct(mode: str, i: int, k: int, s: int, d: int) -> Pair:
    if mode == "valid":
        return (0, 0)
    if mode == "same":
        return formulas.same_padding(i, k, s, d)
    return formulas.full_padding(k, d)


def _prod(values: tuple[int, ...]) -> int:
    out = 1
    for v in values:
        out *= v
    return out


Mode = Literal["valid", "same", "full"]
