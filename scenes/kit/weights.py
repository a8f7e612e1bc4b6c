"""The one way a scene writes a kernel's weights (issue 12 #7).

A kernel of fractions (``box-blur``: every weight 1/9; ``gaussian``: 1/16 · (1 2 1 / 2 4 2 /
1 2 1)) is drawn as its integer multiples with the factor said once, in the kernel's caption
(``kernel 3×3 (× 1/9)``), and every product a scene writes uses the same integers with the
factor pulled out (``1/9 · (3·1 + 2·1 + …) = 1/9 · 25 = 2.78``): what the kernel grid, the
weight badges, the matrix cells, the edge labels and the stamps show multiplies out to what the
equations add up, at the precision shown. Any other kernel is written as it is.

The numbers come from the engine (:func:`convmath.explain.factored_weights`); this module only
chooses the texts. No manim import.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from convmath import format_number
from convmath.explain import FactoredWeights, factored_weights, signed
from scenes.wording import text

__all__ = ["KernelWeights"]


class KernelWeights:
    """A kernel's weights as every scene draws and writes them.

    Attributes
    ----------
    factored : FactoredWeights
        The engine's ``factor × multiples``.
    values : numpy.ndarray
        What the kernel's cells show (the multiples; ``w`` itself without a factor), ``w``'s
        shape: pass it as a kernel grid's ``values``.
    factor_text : str or None
        ``"1/9"``, or ``None`` when the weights are written as they are.
    """

    def __init__(self, w: ArrayLike) -> None:
        self.factored: FactoredWeights = factored_weights(w)
        self.values: np.ndarray = self.factored.multiples
        self.factor_text: str | None = self.factored.factor_text

    def value(self, weight: float) -> float:
        """The number shown for ``weight`` (its multiple of the factor)."""
        return self.factored.multiple(weight)

    def text(self, weight: float) -> str:
        """The text shown for ``weight``: ``"1"`` for box-blur's 1/9, ``"−1"`` for sobel's −1."""
        return format_number(self.value(weight))

    def in_units(self, value: float) -> str:
        """A sum of products (a stamp, a running sum, an output) as written beside the kernel's
        integers: ``value / factor`` (``"25"`` for 25/9), or ``value`` without a factor."""
        return format_number(self.factored.in_units(value))

    def caption(self, caption: str, lang: str) -> str:
        """``caption`` with the factor said (``kernel 3×3 (× 1/9)``), or ``caption`` itself."""
        if self.factor_text is None:
            return caption
        return text("kernel_factor_caption", lang, caption=caption, factor=self.factor_text)

    def product(self, x: float, weight: float) -> str:
        """One term ``x·w`` as written (``3·1``, ``(−2)·2``)."""
        return f"{signed(x)}·{signed(self.value(weight))}"

    def inner(self, pairs) -> float:
        """The sum of ``x · value(w)`` over ``(x, w)`` pairs (the engine's)."""
        return self.factored.inner(pairs)

    def worked(self, head: str, terms: str, pairs, value: float) -> str:
        """``head + terms = value``, with the factor pulled out when there is one:
        ``y[1,0] = 1/9 · (terms) = 1/9 · 25 = 2.78`` (``pairs``: the terms' ``(x, w)``)."""
        return self.factored.worked(head, terms, self.inner(pairs), value)
