"""convmath.i18n and scenes.wording: the engine's and the scenes' strings, English and Spanish, with
matching placeholders."""

from __future__ import annotations

import string

import pytest

from convmath import LANGS, ConvMathError, text
from convmath.i18n import STRINGS as ENGINE_STRINGS
from convmath.i18n import check_lang
from scenes.wording import STRINGS as SCENE_STRINGS
from scenes.wording import text as scene_text

STRINGS = {**ENGINE_STRINGS, **SCENE_STRINGS}


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def test_languages():
    assert LANGS == ("en", "es")


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_key_has_both_languages_with_the_same_placeholders(key):
    entry = STRINGS[key]
    assert set(entry) == {"en", "es"}
    assert all(isinstance(v, str) and v for v in entry.values())
    # English articles by sound ({input_a}: "a"/"an", issue 12 #2) have no Spanish field.
    assert ({p for p in placeholders(entry["en"]) if not p.endswith("_a")}
            == placeholders(entry["es"]))


def test_spanish_is_actually_translated():
    # Most strings differ between languages (a few technical names like 'valid' may not).
    same = [k for k, v in STRINGS.items() if v["en"] == v["es"]]
    assert len(same) < len(STRINGS) // 10, same
    for key in ("input", "kernel", "output", "padding", "stride", "note_leftover"):
        assert STRINGS[key]["en"] != STRINGS[key]["es"]


@pytest.mark.parametrize(("key", "lang", "fmt", "expected"), [
    ("kernel", "es", {}, "filtro"),
    ("stride", "en", {}, "stride"),
    ("stride", "es", {}, "paso"),
    ("axis_prefix", "en", {"axis": 1}, "axis 1: "),
    ("axis_prefix", "es", {"axis": 0}, "eje 0: "),
    ("note_recover", "es", {"n": 6, "op": 1}, "Para recuperar 6: output_padding = 1."),
    ("explain_more_steps", "en", {"n": 3}, "… 3 more steps, computed the same way."),
])
def test_text_formats(key, lang, fmt, expected):
    assert text(key, lang, **fmt) == expected


def test_the_two_tables_share_no_key():
    assert not set(ENGINE_STRINGS) & set(SCENE_STRINGS)


def test_scene_text_falls_back_to_engine_words():
    assert scene_text("stride", "es") == "paso"
    with pytest.raises(KeyError):
        text("conn_fan_out", "en")  # scene wording is not the engine's


def test_text_defaults_to_english():
    assert text("output") == "output"


@pytest.mark.parametrize("lang", ["fr", "EN", "", "english", None])
def test_unknown_language(lang):
    with pytest.raises(ConvMathError, match=r"lang=.* is invalid: lang must be one of 'en', 'es'"):
        text("input", lang)  # type: ignore[arg-type]
    with pytest.raises(ConvMathError, match=r"lang="):
        check_lang(lang)  # type: ignore[arg-type]


def test_unknown_key_is_a_programming_error():
    with pytest.raises(KeyError):
        text("no-such-key", "en")


@pytest.mark.parametrize(("key", "lang", "fmt", "expected"), [
    ("conn_fan_out", "en", dict(cell="[0]", n=1), "input [0] reaches 1 output"),
    ("conn_fan_out", "en", dict(cell="[1]", n=3), "input [1] reaches 3 outputs"),
    ("conn_fan_out", "es", dict(cell="[0]", n=1), "la celda de entrada [0] llega a 1 salida"),
    ("conn_fan_out", "es", dict(cell="[0]", n=0), "la celda de entrada [0] llega a 0 salidas"),
    ("note_padded_length", "en", dict(n=3, k_eff=3, positions=1, s=2),
     "The padded input has 3 cells; a window of 3 cells fits at 1 position."),
    ("note_padded_length", "es", dict(n=8, k_eff=3, positions=3, s=2),
     "La entrada con relleno tiene 8 celdas; una ventana de 3 celdas cabe en 3 posiciones, "
     "separadas por 2."),
])
def test_plural_forms(key, lang, fmt, expected):
    assert scene_text(key, lang, **fmt) == expected
