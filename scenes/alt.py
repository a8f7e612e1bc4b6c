"""Alt text per scene: what THAT scene shows, in the render's language (no manim).

One template per scene (``alt_<scene>`` in :mod:`scenes.wording`, English and Spanish), filled
from engine facts: the shapes in words (:func:`convmath.explain.shape_words`), the number of
output and input cells, the matrix's shape (:func:`convmath.conv_matrix`), the channel counts and
the configuration sentence (:func:`convmath.describe_spec`). The long description is the
``explain`` text of the same convolution (:func:`long_description`).
"""

from __future__ import annotations

from numpy.typing import ArrayLike

from convmath import ConvSpec, describe_spec
from convmath.explain import explain, shape_words
from convmath.fmt import format_shape
from convmath.i18n import article
from scenes.catalog import scene_entry
from scenes.wording import text

__all__ = ["alt_text", "long_description"]


def _facts(scene: str, spec: ConvSpec, lang: str) -> dict[str, object]:
    facts: dict[str, object] = {
        "config": describe_spec(spec, lang),
        "input": shape_words(spec.input_shape, lang),
        "kernel": shape_words(spec.kernel_shape, lang),  # type: ignore[arg-type]
        "output": shape_words(spec.output_shape, lang),
        "input_a": article(shape_words(spec.input_shape, lang)),
        "kernel_a": article(shape_words(spec.kernel_shape, lang)),  # type: ignore[arg-type]
        "o": format_shape(spec.output_shape),
        "n": spec.output_size,
        "m": spec.input_size,
        "cin": spec.in_channels,
        "cout": spec.out_channels,
    }
    if scene == "matrix":
        from convmath import conv_matrix

        facts["rows"], facts["cols"] = conv_matrix(spec).shape
    return facts


def alt_text(scene: str, spec: ConvSpec, lang: str = "en") -> str:
    """The alt text of ``scene`` (a catalog name) drawing ``spec``, in ``lang``.

    Raises
    ------
    ConvMathError
        For an unknown scene or language.
    """
    name = scene_entry(scene).name
    return text(f"alt_{name}", lang, **_facts(name, spec, lang))


def long_description(spec: ConvSpec, x: ArrayLike, w: ArrayLike, lang: str = "en",
                     bias: ArrayLike | None = None, math: str = "unicode") -> str:
    """The long description that goes with an alt text: the ``explain`` Markdown of the
    convolution (sizes derived, every step worked, the result), at most 30 steps."""
    return explain(x, w, spec, lang, max_steps=30, bias=bias, math=math)
