"""Every preset caption that states a fact about its configuration is checked against the engine
(issue 12 #4): the sizes it quotes, the transposes it names, and the cells it says no window
reaches. A caption in a form this test does not know fails, so new facts cannot go unchecked."""

from __future__ import annotations

import re

import pytest

from convmath import ConvSpec
from convmath.facts import unreached_cells
from scenes.gallery import load_gallery, preset_path

_DIRECT = re.compile(r"(?:(?P<kind>Half \(same\) padding|Full padding|Dilated): )?"
                     r"i=(?P<i>\d+), k=(?P<k>\d+), (?:d=(?P<d>\d+), )?p=(?P<p>\d+), "
                     r"s=(?P<s>\d+) → o=(?P<o>\d+)(?: \((?P<note>.+)\))?")
_TRANSPOSE = re.compile(r"Transpose of i=(?P<i>\d+), k=(?P<k>\d+), p=(?P<p>\d+), s=(?P<s>\d+): "
                        r"(?P<a>\d+) → (?P<b>\d+)(?: \((?P<note>.+)\))?")
ARITHMETIC = load_gallery(preset_path("arithmetic"))[1]


def _check_direct(e, m: re.Match) -> None:
    i, k, p, s, o = (int(m[g]) for g in "ikpso")
    d = int(m["d"] or 1)
    spec = e.spec
    assert not spec.transposed
    assert (spec.input_shape[0], spec.kernel_shape[0], spec.pads[0], spec.stride[0],
            spec.dilation[0], spec.output_shape[0]) == (i, k, (p, p), s, d, o)
    if m["kind"] == "Half (same) padding":
        assert o == i and 2 * p == d * (k - 1)
    if m["kind"] == "Full padding":
        assert p == d * (k - 1) and o == i + d * (k - 1)
    if m["kind"] == "Dilated":
        assert d > 1
    if m["note"] is not None:
        assert m["note"] == "the right padding column is reached by no window"
        grid = spec.grid_shape[0]
        assert unreached_cells(spec, 0) == (grid - 1,)  # only the last grid column …
        assert grid - 1 >= p + i  # … and it is padding, not input


def _check_transpose(e, m: re.Match) -> None:
    i, k, p, s, a, b = (int(m[g]) for g in "ikpsab")
    direct = ConvSpec((i, i), k, stride=s, padding=p)
    spec = e.spec
    assert spec.transposed and direct.output_shape[0] == a and spec.input_shape[0] == a
    assert spec.output_shape[0] == b == i
    assert (spec.kernel_shape[0], spec.pads[0], spec.stride[0]) == (k, (p, p), s)
    if m["note"] is not None:
        assert m["note"] == "output padding 1 restores the lost column"
        assert spec.output_padding[0] == 1
        without = ConvSpec((a, a), k, stride=s, padding=p, transposed=True)
        assert without.output_shape[0] == b - 1


@pytest.mark.parametrize("entry", ARITHMETIC, ids=lambda e: e.name)
def test_arithmetic_caption_states_the_engine_facts(entry) -> None:
    caption = entry.caption
    if m := _DIRECT.fullmatch(caption):
        _check_direct(entry, m)
    elif m := _TRANSPOSE.fullmatch(caption):
        _check_transpose(entry, m)
    else:
        pytest.fail(f"caption in an unchecked form: {caption!r}")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_post_captions_that_quote_parameters(lang: str) -> None:
    _, entries = load_gallery(preset_path("post"), {"lang": lang})
    pattern = (r"stride (\d+) and padding (\d+)" if lang == "en"
               else r"paso (\d+) y relleno (\d+)")
    checked = 0
    for e in entries:
        if m := re.search(pattern, e.caption):
            assert (e.spec.stride[0], e.spec.pads[0][0]) == (int(m[1]), int(m[2])), e.name
            checked += 1
        if "dilat" in e.caption:  # a dilated spec, or a dilated layer of the entry's stack
            specs = e.stack.specs if e.stack is not None else (e.spec,)
            assert any(max(s.dilation) > 1 for s in specs), e.name
            checked += 1
    assert checked >= 2
