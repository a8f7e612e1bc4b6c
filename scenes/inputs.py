"""What a scene draws: :class:`ConvInputs` (one spec and its arrays) and :class:`SceneDefaults`.

No manim import: the CLI, the gallery and the cache build and compare inputs without loading the
scenes. A scene's defaults live in one place, its :class:`scenes.catalog.SceneEntry`; both the
plain ``manim … MatrixView`` command and ``convanim render matrix`` fill missing arrays from
them through :meth:`ConvInputs.make`, so the two paths draw the same numbers.

A spec with channels (``in_channels``, ``out_channels``, ``groups``) is carried the same way:
``x`` and ``w`` have ``spec.x_shape`` and ``spec.w_shape``, and an optional ``bias`` of
``(out_channels,)`` rides along (issue 18). Tomorrow's scenes (a stack of layers) get their own
inputs type with the same two methods the pipeline uses: ``digest()`` for the cache key and the
fields a scene reads.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from convmath import ConvMathError, ConvSpec, default_arrays, random_values
from convmath.ops import check_array, w_expected, x_expected
from convmath.presets import edge_preset, structured_values

__all__ = ["SceneDefaults", "ConvInputs", "spec_record"]


@dataclass(frozen=True, slots=True)
class SceneDefaults:
    """A scene's defaults: the spec it shows with no arguments, and how its arrays are made.

    Attributes
    ----------
    spec : ConvSpec
        The configuration the plain ``manim`` command draws when no spec is given.
    kernel : str
        A :data:`convmath.KERNEL_PRESETS` name, used when its shape is the spec's kernel shape
        (else seeded small integers, see :func:`convmath.default_arrays`).
    seed : int
        Seed of the input's (and fallback kernel's) small random integers.
    x : tuple of float, or None
        Fixed input values drawn for exactly :attr:`spec` instead of seeded ones (row-major,
        ``spec.input_shape`` cells), e.g. the flip scene's worked example ``2, 1, 0, 1, 2``;
        other specs still use :attr:`seed`.
    bias : tuple of float, or None
        The bias drawn for exactly :attr:`spec` when none is given (``out_channels`` values);
        ``None``: no bias.
    """

    spec: ConvSpec
    kernel: str = "sobel-x"
    seed: int = 0
    x: tuple[float, ...] | None = None
    bias: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.spec, ConvSpec):
            raise ConvMathError(
                f"spec={self.spec!r} is invalid: it must be a ConvSpec", param="spec"
            )
        from convmath import KERNEL_PRESETS

        if self.kernel not in KERNEL_PRESETS:
            raise ConvMathError(
                f"kernel={self.kernel!r} is invalid: known presets are "
                f"{', '.join(KERNEL_PRESETS)}", param="kernel",
            )
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ConvMathError(
                f"seed={self.seed!r} is invalid: seed must be an integer >= 0", param="seed"
            )
        if self.bias is not None and len(self.bias) != self.spec.out_channels:
            raise ConvMathError(
                f"bias={self.bias!r} is invalid: it must hold {self.spec.out_channels} values "
                f"(spec.out_channels)", param="bias",
            )
        if self.x is not None:
            n = int(np.prod(self.spec.x_shape))
            if len(self.x) != n or not np.all(np.isfinite(np.asarray(self.x, dtype=float))):
                raise ConvMathError(
                    f"x={self.x!r} is invalid: it must hold {n} finite values "
                    f"(spec.x_shape {self.spec.x_shape})", param="x",
                )

    def arrays(self, spec: ConvSpec | None = None
               ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """The default ``(x, w)`` for ``spec`` (default: :attr:`spec`), from this seed and
        kernel preset (:func:`convmath.default_arrays`); :attr:`x` when ``spec`` is
        :attr:`spec` and fixed values are given. With channels: :func:`convmath.random_values`
        of ``spec.x_shape`` in ``[0, 3]`` (this seed) and of ``spec.w_shape`` in ``[-1, 1]``
        (seed + 1)."""
        spec = self.spec if spec is None else spec
        if spec.has_channels:
            x = random_values(spec.x_shape, seed=self.seed, low=0, high=3)
            w = random_values(spec.w_shape, seed=self.seed + 1, low=-1, high=1)
            if self.x is not None and spec == self.spec:
                x = np.array(self.x, dtype=np.float64).reshape(spec.x_shape)
            return x, w
        x, w = default_arrays(
            spec.input_shape, spec.kernel_shape, self.seed, self.kernel  # type: ignore[arg-type]
        )
        if self.x is not None and spec == self.spec:
            x = np.array(self.x, dtype=np.float64).reshape(spec.input_shape)
        return x, w

    def bias_for(self, spec: ConvSpec) -> tuple[float, ...] | None:
        """:attr:`bias` when ``spec`` is :attr:`spec`, else ``None``."""
        return self.bias if spec == self.spec else None


#: The defaults when a caller names none: seed 0 and the sobel-x kernel (what
#: :func:`convmath.default_arrays` uses without arguments).
_FALLBACK_KERNEL, _FALLBACK_SEED = "sobel-x", 0


def _readonly(arr: NDArray[np.float64]) -> NDArray[np.float64]:
    out = np.array(arr, dtype=np.float64, copy=True)
    out.flags.writeable = False
    return out


def spec_record(spec: ConvSpec) -> dict[str, Any]:
    """``spec`` as plain JSON-ready values (lists, ints, bools, a padding mode string).

    Two specs that compute the same thing give the same record; used in cache keys and sidecars.
    """
    return {
        "input_shape": list(spec.input_shape),
        "kernel_shape": list(spec.kernel_shape),  # type: ignore[arg-type]
        "stride": list(spec.stride),  # type: ignore[arg-type]
        "padding": spec.padding if isinstance(spec.padding, str) else [list(p) for p in spec.pads],
        "dilation": list(spec.dilation),  # type: ignore[arg-type]
        "transposed": spec.transposed,
        "output_padding": list(spec.output_padding),  # type: ignore[arg-type]
        "flip": spec.flip,
    } | ({"in_channels": spec.in_channels, "out_channels": spec.out_channels,
          "groups": spec.groups} if spec.has_channels else {})


@dataclass(frozen=True, eq=False, slots=True)
class ConvInputs:
    """One convolution and the arrays a single-spec scene draws.

    Attributes
    ----------
    spec : ConvSpec
        The convolution.
    x : numpy.ndarray
        The input, ``float64`` of shape ``spec.x_shape`` (``spec.input_shape`` without
        channels), finite, read-only.
    w : numpy.ndarray
        The kernel (as the user gives it, before any flip), ``float64`` of shape
        ``spec.w_shape`` (``spec.kernel_shape`` without channels), finite, read-only.
    bias : numpy.ndarray or None
        ``(out_channels,)``, read-only, or ``None`` (no bias).

    Build it with :meth:`make`, which checks the arrays and fills missing ones. Two inputs are
    equal when their spec and values are (``==`` compares :meth:`digest`).
    """

    spec: ConvSpec
    x: NDArray[np.float64]
    w: NDArray[np.float64]
    bias: NDArray[np.float64] | None = None

    @classmethod
    def make(
        cls,
        spec: ConvSpec,
        x: ArrayLike | None = None,
        w: ArrayLike | None = None,
        *,
        defaults: SceneDefaults | None = None,
        bias: ArrayLike | None = None,
    ) -> ConvInputs:
        """The inputs for ``spec``: ``x`` and ``w`` checked, or filled from ``defaults``.

        Parameters
        ----------
        spec
            The convolution.
        x, w
            Array-likes of ``spec.input_shape`` / ``spec.kernel_shape``; ``None`` takes
            ``defaults.arrays(spec)``: seeded small integers and the defaults' kernel preset when
            its shape fits (:func:`convmath.default_arrays`). The seed and kernel come from
            ``defaults`` even when ``spec`` is not ``defaults.spec``. Given weights equal to an
            edge preset (``sobel-x``, ``sobel-y``, ``laplacian``: :func:`convmath.presets.
            edge_preset`) without ``x`` get :func:`convmath.presets.structured_values` (an edge
            or a square) instead: the CLI, the gallery and ``scenes.render`` all pass here.
        defaults
            A scene's :class:`SceneDefaults` (``catalog.scene_entry(name).defaults``);
            ``None`` = seed 0, sobel-x.
        bias
            ``(out_channels,)`` values or ``None``: the defaults' bias for their own spec
            (:meth:`SceneDefaults.bias_for`), else no bias.

        Raises
        ------
        ConvMathError
            ``param="spec"`` when ``spec`` is not a :class:`ConvSpec`; ``param="x"``/``"w"``
            when an array's shape disagrees with the spec or it holds NaN or infinite values,
            or when the result overflows (a sum beyond the float range: nothing could be drawn
            or explained).
        """
        if not isinstance(spec, ConvSpec):
            raise ConvMathError(f"spec={spec!r} is invalid: it must be a ConvSpec", param="spec")
        if x is None or w is None:
            if defaults is None:
                defaults = SceneDefaults(spec, _FALLBACK_KERNEL, _FALLBACK_SEED)
            dx, dw = defaults.arrays(spec)
        if bias is None and defaults is not None:
            bias = defaults.bias_for(spec)
        wa = dw if w is None else _checked("w", w, spec.w_shape, w_expected(spec))
        edge = None if x is not None or w is None or spec.has_channels else edge_preset(wa)
        if edge is not None:  # an edge detector runs on an input with the edge (issue 12 #7)
            dx = structured_values(spec.input_shape, edge)
        xa = dx if x is None else _checked("x", x, spec.x_shape, x_expected(spec))
        ba = None if bias is None else _checked("bias", bias, (spec.out_channels,),
                                                "(out_channels,)")
        _check_result(spec, xa, wa, ba)
        return cls(spec, _readonly(xa), _readonly(wa), None if ba is None else _readonly(ba))

    def digest(self) -> str:
        """A SHA-256 hex digest of the spec and both arrays (shape and exact float64 values)."""
        h = hashlib.sha256(b"ConvInputs/1\n")
        h.update(json.dumps(spec_record(self.spec), sort_keys=True).encode())
        for arr in (self.x, self.w) + (() if self.bias is None else (self.bias,)):
            h.update(repr(arr.shape).encode())
            h.update(np.ascontiguousarray(arr, dtype=np.float64).tobytes())
        return h.hexdigest()

    def record(self) -> dict[str, Any]:
        """JSON-ready: the spec record and both arrays as nested lists."""
        out = {"spec": spec_record(self.spec), "x": self.x.tolist(), "w": self.w.tolist()}
        return out if self.bias is None else out | {"bias": self.bias.tolist()}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ConvInputs):
            return NotImplemented
        return self.digest() == other.digest()

    def __hash__(self) -> int:
        return hash(self.digest())


def _check_result(spec: ConvSpec, x: NDArray[np.float64], w: NDArray[np.float64],
                  bias: NDArray[np.float64] | None = None) -> None:
    from convmath.ops import _convolve

    with np.errstate(over="ignore", invalid="ignore"):
        y = _convolve(x, w, spec)
        if bias is not None:
            y = y + (bias.reshape((-1,) + (1,) * spec.ndim) if spec.has_channels else bias[0])
        finite = bool(np.all(np.isfinite(y)))
    if not finite:
        raise ConvMathError(
            "x is invalid with these weights: the result overflows (a product or sum is beyond "
            f"±{np.finfo(np.float64).max:.3g}); use smaller values", param="x",
        )


def _checked(name: str, value: ArrayLike, shape: tuple[int, ...], expected: str
             ) -> NDArray[np.float64]:
    try:
        return check_array(name, value, shape, expected)
    except ConvMathError as exc:
        if exc.param is None:
            raise ConvMathError(str(exc), param=name) from None
        raise
