"""What the receptive-field scene draws: :class:`LayerStack`, a stack of direct convolutions.

The sibling of :class:`scenes.inputs.ConvInputs` for scenes that take several layers instead of
one spec and its arrays, with the two things the render pipeline uses: :meth:`LayerStack.digest`
for the cache key and :meth:`LayerStack.record` for sidecars. No manim import.

Ways in:

- :meth:`LayerStack.make` from an input shape and per-layer parameters (a kernel size, a
  ``(kernel, stride, padding, dilation)`` sequence or a mapping), as the CLI or a gallery TOML
  gives them (``layers = [[3, 1, 0, 1], [3, 2, 0, 1], {kernel = 3, dilation = 2}]``); errors name
  the layer (:func:`convmath.build_stack`);
- :meth:`LayerStack.repeat` from one :class:`ConvSpec`: that layer stacked as often as it fits
  (up to three times), so ``convanim render receptive --input 9 --kernel 3 --stride 2`` works with
  the single-spec options every scene has;
- :meth:`LayerStack.of` from ready specs (checked by :func:`convmath.check_stack`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from convmath import ConvMathError, ConvSpec, build_stack, check_stack
from scenes.inputs import spec_record

__all__ = ["LayerStack", "MAX_REPEAT"]

#: Most layers :meth:`LayerStack.repeat` stacks.
MAX_REPEAT = 3


@dataclass(frozen=True, slots=True)
class LayerStack:
    """A checked stack of direct specs (layer ``l`` takes layer ``l − 1``'s output).

    Attributes
    ----------
    specs : tuple of ConvSpec
        The layers, bottom (the input's) first.
    """

    specs: tuple[ConvSpec, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "specs", check_stack(self.specs))

    @classmethod
    def of(cls, specs: Sequence[ConvSpec]) -> LayerStack:
        """The stack of ``specs`` (``ConvMathError`` naming the layer when malformed)."""
        return cls(tuple(specs))

    @classmethod
    def make(cls, input_shape: int | Sequence[int], layers: Sequence[object]) -> LayerStack:
        """Chain layers from per-layer parameters (see :func:`convmath.build_stack`)."""
        return cls(build_stack(input_shape, layers))

    @classmethod
    def repeat(cls, spec: ConvSpec, times: int = MAX_REPEAT) -> LayerStack:
        """``spec``'s layer stacked as often as it fits, at most ``times`` (at least once).

        Raises
        ------
        ConvMathError
            ``param="spec"`` for a transposed spec or not a spec; ``param="times"`` below 1.
        """
        if not isinstance(spec, ConvSpec) or spec.transposed:
            raise ConvMathError(
                f"spec={spec!r} is invalid: a layer stack repeats a direct ConvSpec",
                param="spec",
            )
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ConvMathError(f"times={times!r} is invalid: times must be an integer >= 1",
                                param="times")
        layer = (spec.kernel_shape, spec.stride, spec.padding, spec.dilation)
        for n in range(times, 1, -1):
            try:
                return cls(build_stack(spec.input_shape, [layer] * n))
            except ConvMathError:
                continue
        return cls((spec,))

    @property
    def spec(self) -> ConvSpec:
        """The first layer (its input shape is the stack's input)."""
        return self.specs[0]

    @property
    def input_shape(self) -> tuple[int, ...]:
        return self.specs[0].input_shape

    def record(self) -> dict[str, Any]:
        """JSON-ready: every layer's spec record."""
        return {"layers": [spec_record(s) for s in self.specs]}

    def digest(self) -> str:
        """SHA-256 hex digest of every layer (the cache key's share of the inputs)."""
        h = hashlib.sha256(b"LayerStack/1\n")
        h.update(json.dumps(self.record(), sort_keys=True).encode())
        return h.hexdigest()
