"""GeneralEquation renders (tiny, for real) and writes what the definition says.

Oracles: the index ``s·i + d·m − p`` and the sum from loops over PyTorch's definition, and
scipy's ``correlate``/``convolve`` for the value written into the output cell.
"""

from __future__ import annotations

import numpy as np
import pytest
from scene_helpers import render_scene
from scipy import signal

from convmath import ConvMathError, ConvSpec
from convmath.fmt import format_number
from scenes.equation import GeneralEquation, chosen_index
from scenes.kit.log import ProductsShown, ResultWritten, WindowLanded


def oracle_value(spec, x, w, cell):
    xpad = np.pad(np.asarray(x, float), spec.pads)
    k = np.asarray(w, float)
    if spec.flip:
        k = k[tuple(slice(None, None, -1) for _ in k.shape)]
    total = 0.0
    for m in np.ndindex(*spec.kernel_shape):
        at = tuple(s * i + d * mm for s, i, d, mm in zip(spec.stride, cell, spec.dilation, m))
        total += xpad[at] * k[m]
    return total


CASES = [
    (ConvSpec((5,), 3, stride=2, padding=1), {}),
    (ConvSpec((5,), 3, stride=2, padding=1, flip=True), {"lang": "es", "theme": "dark"}),
    (ConvSpec((7,), 2, dilation=3), {"mode": "schematic"}),
    (ConvSpec((5, 5), 3, stride=2, padding=1), {"theme": "dark"}),
    (ConvSpec((4, 5), (2, 3), dilation=(1, 2)), {"lang": "es"}),
]


@pytest.mark.parametrize(("spec", "options"), CASES)
def test_renders_and_keeps_the_rules(tmp_path, spec, options):
    scene = render_scene(GeneralEquation, tmp_path, spec, last_frame_only=True, **options)
    assert scene.problems == []
    assert scene.log.violations() == []
    cell = chosen_index(spec)
    value = oracle_value(spec, scene.x, scene.w, cell)
    xpad = np.pad(scene.x, spec.pads)
    full = (signal.convolve if spec.flip else signal.correlate)(xpad, scene.w, mode="valid")
    if all(s == 1 for s in spec.stride) and all(d == 1 for d in spec.dilation):
        assert value == pytest.approx(full[cell])
    (written,) = scene.log.of(ResultWritten)
    assert written.out_index == cell and written.text == format_number(value)
    (products,) = scene.log.of(ProductsShown)
    assert products.lines[0].endswith("= " + format_number(value))
    (landed,) = scene.log.of(WindowLanded)
    expect = [tuple(s * i + d * m + 0 for s, i, d, m in zip(spec.stride, cell, spec.dilation, mm))
              for mm in np.ndindex(*spec.kernel_shape)]
    assert list(landed.cells) == expect  # grid coordinates: s·i + d·m on the padded grid


def test_the_general_equation_and_this_specs_numbers_are_said(tmp_path):
    spec = ConvSpec((5,), 3, stride=2, padding=1)
    scene = render_scene(GeneralEquation, tmp_path, spec, last_frame_only=True)
    texts = scene.log.texts()
    assert "y[i] = Σₘ x[s·i + d·m − p] · w[m]" in texts
    assert "y[i] = Σₘ x[s·i + d·m − p] · w[k − 1 − m]" in texts
    assert "y[i] = Σₘ x[2·i + 1·m − 1] · w[m]" in texts
    # output 1 reads inputs 2·1 + m − 1 = 1, 2, 3
    assert "= ①x[1]·w[0] + ②x[2]·w[1] + ③x[3]·w[2]" in texts  # each after its tab's mark


def test_refuses_a_transposed_spec():
    with pytest.raises(ConvMathError, match="transposed=True is invalid") as info:
        GeneralEquation(ConvSpec((3,), 3, transposed=True))
    assert info.value.param == "transposed"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_title_names_what_it_computes(tmp_path, lang):
    """The equation written is a cross-correlation (weights read forwards): the title says so."""
    scene = render_scene(GeneralEquation, tmp_path, ConvSpec((5,), 3), last_frame_only=True,
                         lang=lang)
    title = scene.log.texts()[0]
    assert ("cross-correlation" if lang == "en" else "correlación cruzada") in title
    assert not title.startswith(("The general convolution", "La ecuación general de la conv"))


@pytest.mark.parametrize(("spec", "options"), [
    (ConvSpec((5, 5), 3, stride=2, padding=1), {}),
    (ConvSpec((5, 5), 3, stride=2, padding=1), {"lang": "es", "theme": "dark"}),
    (ConvSpec((5,), 3, stride=2, padding=1), {"theme": "dark"}),
])
def test_each_term_is_linked_to_its_cell_by_a_mark(tmp_path, spec, options):
    """Not colour alone: product k of the sum line carries the mark k, and the cell tabbed k
    is the one the definition reads for kernel offset k (row-major): s·i + d·m on the padded
    grid; every term's ink has 4.5:1 on the background and is a colour the GIF keeps exactly."""
    import re

    from scenes.kit.theme import THEMES, contrast_ratio
    from scenes.pipeline.writers import theme_colors

    scene = render_scene(GeneralEquation, tmp_path, spec, last_frame_only=True, **options)
    assert scene.problems == [] and scene.log.violations() == []
    cell = chosen_index(spec)
    (marks,) = scene.records_of("marks")
    offsets = list(np.ndindex(*spec.kernel_shape))
    assert marks["tabs"] == [str(n + 1) for n in range(len(offsets))]
    assert marks["cells"] == [tuple(s * i + d * m for s, i, d, m in
                                    zip(spec.stride, cell, spec.dilation, mm)) for mm in offsets]
    (products,) = scene.log.of(ProductsShown)
    circled = re.findall("[\u2460-\u2473]", products.lines[0])
    assert circled == [chr(0x2460 + n) for n in range(len(offsets))]
    theme = THEMES[options.get("theme", "light")]
    kept = set(theme_colors(theme))
    for color in theme.kernel_colors(len(offsets)):
        ink = theme.ink(color)
        assert contrast_ratio(ink, theme.background) >= 4.5
        assert ink.upper() in kept
