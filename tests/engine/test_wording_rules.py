"""Issue 12 #1, #2, #3, #6: every template of both tables (engine and scenes), both languages.

The field → value mapping below must cover every field of every template (a new template with a
new field fails until it is added), so the walks below reach every template automatically.
"""

from __future__ import annotations

import re
import string

import pytest

from convmath import ConvSpec, derive_output_size, describe_spec, explain
from convmath.i18n import STRINGS as ENGINE
from convmath.i18n import article, format_template
from convmath.sizes import padding_phrase
from scenes.wording import STRINGS as SCENES
from scenes.wording import gallery_param_name

TABLES = {**ENGINE, **SCENES}
assert not set(ENGINE) & set(SCENES), "a key is in both tables"

#: Fields that are counts (an int that may stand next to a noun), with the smallest value they
#: take: 0 where it can occur (no inserted zeros at stride 1, a side without padding, …).
COUNTS = {
    "a": 0, "b": 0, "cols": 1, "rows": 1, "frames": 1, "hi": 1, "lo": 1, "i": 1, "k_eff": 1,
    "left": 1, "n": 1, "o": 1, "op": 1, "op_hi": 1, "op_lo": 0, "pa": 0, "pb": 0,
    "positions": 1, "s": 1, "span": 0, "zeros": 0, "r": 0, "axis": 0, "d": 1, "k": 1, "p": 1,
    "v": 1, "width": 1, "height": 1,
    # Channels and groups (issue 18), the stack comparison's layers.
    "c": 1, "cin": 1, "cout": 1, "g": 1, "nb": 0, "nw": 1, "macs": 1, "total": 1,
    # The scenes' alt texts (issue 16): input cells.
    "m": 1,
    # The receptive field's jump (input cells between neighbours).
    "jn": 1,
    # How many input sizes share an output (a quantifier: both / all).
    "ns": 1,
    # The channels' multiply-adds: products per output cell, output cells.
    "nt": 1, "no": 1,
}
#: Fields that are text, with a sample.
TEXTS = {
    "cell": "[0,1]", "counts": "1, 2", "error": "boom", "extra": "", "grid": "entrada",
    "grid_padding": "padding 1 before and 1 after", "input": "5×5", "input_a": "a",
    "kernel": "3×3", "kernel_a": "a", "kind": "convolución transpuesta", "name": "input",
    "output": "3×3", "padding": "1", "shape": "5×5", "sizes": "3, 4", "stride": "2",
    "duration": "1.5", "ds": "1-2-4", "expr": "2·i + 1·m − 1", "reads": "x[1]",
    "terms": "2 + 4", "j": "i", "j0": "2",
    "w": "1, 2, 3", "rev": "3, 2, 1", "y": "7", "preset": "sobel-x", "params": "56",
    "weights": "54",
    "biases": "2", "dw": "18", "pw": "16", "std": "54", "crop": "1 cell before and 1 after",
    "config": "Cross-correlation of a 5×5 input with a 3×3 kernel, stride 2, padding 1 → 3×3 "
    "output",
    # A kernel of fractions drawn as integers (issue 12 #7): its factor, the caption it joins.
    "factor": "1/9", "caption": "kernel 3×3",
}

#: Singular and plural of every noun a count can stand next to.
NOUNS = {
    "en": [("cell", "cells"), ("output", "outputs"), ("step", "steps"),
           ("position", "positions"), ("zero", "zeros"), ("size", "sizes"), ("stamp", "stamps"),
           ("entry", "entries"), ("weight", "weights"), ("window", "windows"), ("row", "rows"),
           ("column", "columns"), ("input", "inputs"), ("value", "values"),
           ("frame", "frames"), ("byte", "bytes"), ("animation", "animations"),
           ("channel", "channels"), ("bias", "biases"), ("parameter", "parameters"),
           ("group", "groups"), ("edge", "edges"), ("layer", "layers")],
    "es": [("celda", "celdas"), ("salida", "salidas"), ("posición", "posiciones"),
           ("paso", "pasos"), ("cero", "ceros"), ("tamaño", "tamaños"), ("estampa", "estampas"),
           ("componente", "componentes"), ("peso", "pesos"), ("ventana", "ventanas"),
           ("fila", "filas"), ("columna", "columnas"), ("entrada", "entradas"),
           ("valor", "valores"), ("fotograma", "fotogramas"), ("byte", "bytes"),
           ("animación", "animaciones"), ("canal", "canales"), ("sesgo", "sesgos"),
           ("parámetro", "parámetros"), ("grupo", "grupos"), ("arista", "aristas"),
           ("capa", "capas")],
}
SKIP = {"more", "other", "más"}
#: Nouns that stand as adjectives before another noun ("2 input channels": the count is the
#: channels').
ADJECTIVES = {"input", "output"}


_ALL_NOUNS = {w for pairs in NOUNS.values() for pair in pairs for w in pair}


class Count(int):
    """An int that shows where it lands: ``⟦1⟧`` (plural forms still see the int)."""

    def __format__(self, spec: str) -> str:
        return f"⟦{int(self)}⟧"


def _fields(template: str) -> set[str]:
    out = set()
    for _, name, spec, _ in string.Formatter().parse(template):
        if name is not None:
            out.add(name)
            out |= _fields(spec or "")
    return out


CASES = [(key, lang) for key in sorted(TABLES) for lang in ("en", "es")]


def test_every_field_is_mapped():
    unmapped = {(k, f) for k, lang in CASES for f in _fields(TABLES[k][lang])
                if f not in COUNTS and f not in TEXTS}
    assert not unmapped, sorted(unmapped)


def _render(template: str, field: str, value: int) -> str:
    values: dict[str, object] = {f: 7 for f in COUNTS}
    values.update(TEXTS)
    values[field] = Count(value)
    return format_template(template, **values)


def _noun_after(rendered: str, value: int) -> list[str]:
    words = []
    for m in re.finditer(rf"⟦{value}⟧", rendered):
        tail = re.findall(r"[^\W\d_]+", rendered[m.end():m.end() + 40])
        while tail and tail[0] in SKIP:
            tail.pop(0)
        if len(tail) > 1 and tail[0] in ADJECTIVES and tail[1] in _ALL_NOUNS:
            tail.pop(0)
        if tail and re.match(r"\s*(more\s+|other\s+)?[^\W\d_]", rendered[m.end():]):
            words.append(tail[0])
    return words


def _walk() -> list[tuple[str, str, str, int]]:
    out = []
    for key, lang in CASES:
        for field in sorted(_fields(TABLES[key][lang]) & set(COUNTS)):
            for value in sorted({COUNTS[field], 1, 2}):
                out.append((key, lang, field, value))
    return out


WALK = _walk()


def test_the_walk_reaches_every_template_with_a_count():
    keys = {k for k, *_ in WALK}
    assert keys == {k for k, lang in CASES if _fields(TABLES[k][lang]) & set(COUNTS)}
    assert len(WALK) > 300


@pytest.mark.parametrize(("key", "lang", "field", "value"), WALK)
def test_nouns_agree_with_their_counts(key, lang, field, value):
    rendered = _render(TABLES[key][lang], field, value)
    for word in _noun_after(rendered, value):
        for one, other in NOUNS[lang]:
            if value == 1:
                assert word != other, f"{key}/{lang}: {rendered!r}"
            else:
                assert word != one, f"{key}/{lang}: {rendered!r}"


def test_the_issue_12_1_examples():
    der = derive_output_size(ConvSpec((4,), 3, stride=2))
    assert "Inputs of size 3 and 4 both give an output of size 1." in der.text
    es = derive_output_size(ConvSpec((4,), 3, stride=2), "es").text
    assert "Las entradas de tamaño 3 y 4 dan ambas una salida de tamaño 1." in es
    three = derive_output_size(ConvSpec((5,), 3, stride=3))  # 3, 4 and 5 give 1 output
    assert "Inputs of size 3, 4 and 5 all give an output of size 1." in three.text
    es3 = derive_output_size(ConvSpec((5,), 3, stride=3), "es").text
    assert "Las entradas de tamaño 3, 4 y 5 dan todas una salida de tamaño 1." in es3
    assert "both give" in derive_output_size(ConvSpec((2,), 2, stride=2, transposed=True)).text
    t = SCENES["sup_output_padding"]
    assert "1 more row " in format_template(t["en"], op=1)
    assert "1 fila más" in format_template(t["es"], op=1)


@pytest.mark.parametrize(("key", "lang"), CASES)
def test_both_languages_use_the_same_fields(key, lang):
    # The English articles ({input_a}: "a"/"an") have no Spanish counterpart field.
    def said(k, la):
        return {f for f in _fields(TABLES[k][la]) if not f.endswith("_a")}
    assert said(key, "en") == said(key, "es"), key


# --- #2: articles by sound -------------------------------------------------------------------

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _spell(n: int) -> str:
    """English words for ``n`` (< 10**9), as a number is read: "one thousand one hundred"."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("-" + _ONES[n % 10] if n % 10 else "")
    for size, word in ((10**6, "million"), (1000, "thousand"), (100, "hundred")):
        if n >= size:
            rest = n % size
            return f"{_spell(n // size)} {word}" + (f" {_spell(rest)}" if rest else "")
    raise AssertionError(n)


def _oracle_article(n: int) -> str:
    first = _spell(n).split()[0].split("-")[0]
    return "an" if first in ("eight", "eighteen", "eighty", "eleven") else "a"


NUMBERS = [*range(0, 101), *range(1000, 20001, 1000), 110, 180, 800, 811, 1100, 1800, 8000,
           11000, 18000, 80000, 110000, 180000, 800000, 11_000_000, 18_000_000, 123456]


@pytest.mark.parametrize("n", NUMBERS)
def test_article_follows_how_the_number_is_read(n):
    assert article(str(n)) == _oracle_article(n)
    assert article(f"{n}×{n}") == _oracle_article(n)
    assert article(f"{n}-cell") == _oracle_article(n)


@pytest.mark.parametrize(("phrase", "expected"), [
    ("8×8", "an"), ("11×11", "an"), ("18-cell", "an"), ("80×80", "an"), ("1×1", "a"),
    ("12×12", "a"), ("length-8", "a"), ("input", "an"),
])
def test_article_issue_examples(phrase, expected):
    assert article(phrase) == expected


SHAPES = [(n,) for n in (1, 5, 8, 11, 18, 80)] + [(n, n) for n in range(1, 21)] + [
    (8, 3), (11, 4), (80, 80), (18, 18)]


@pytest.mark.parametrize("shape", SHAPES)
def test_describe_spec_uses_the_right_article_everywhere(shape):
    for k in (1, 3, 8, 11):
        kernel = tuple(min(k, n) for n in shape)
        spec = ConvSpec(shape, kernel)
        s = describe_spec(spec)
        for m in re.finditer(r"\b(an?) (\d+)", s):
            assert m.group(1) == _oracle_article(int(m.group(2))), s
    assert describe_spec(ConvSpec((8, 8), 3)).startswith("Cross-correlation of an 8×8 input "
                                                          "with a 3×3 kernel")


# --- #3: negative grid padding is a crop, and no ASCII hyphen as a minus ----------------------

def test_issue_12_3_crop_is_said_as_a_crop():
    spec = ConvSpec((3,), 1, stride=2, padding=1, transposed=True)
    assert "crop 1 cell before and 1 after" in derive_output_size(spec).text
    assert "recorta 1 celda antes y 1 después" in derive_output_size(spec, "es").text
    md = explain([1, 2, 3], [5], spec)
    assert "padding -1" not in md and "crop 1 cell before and 1 after" in md


@pytest.mark.parametrize(("b", "a", "en", "es"), [
    (2, 1, "padding 2 before and 1 after", "relleno 2 antes y 1 después"),
    (0, 0, "padding 0 before and 0 after", "relleno 0 antes y 0 después"),
    (-1, -1, "crop 1 cell before and 1 after", "recorta 1 celda antes y 1 después"),
    (-2, -3, "crop 2 cells before and 3 after", "recorta 2 celdas antes y 3 después"),
    (-1, 2, "crop 1 cell before and pad 2 after", "recorta 1 celda antes y rellena 2 después"),
    (2, -2, "pad 2 before and crop 2 cells after", "rellena 2 antes y recorta 2 celdas después"),
])
def test_padding_phrase(b, a, en, es):
    assert padding_phrase(b, a) == en and padding_phrase(b, a, "es") == es


_ASCII_MINUS = re.compile(r"(?<![\w\])])-\s?\d")


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(("i", "k", "s", "p", "d"), [
    (3, 1, 2, 1, 1), (3, 2, 2, 2, 1), (4, 3, 3, 4, 1), (2, 2, 1, 1, 2), (3, 3, 2, (3, 0), 1),
    (5, 3, 2, 1, 1), ((3, 3), 1, 2, 1, 1),
])
def test_no_number_is_written_with_an_ascii_hyphen(lang, i, k, s, p, d):
    shape = i if isinstance(i, tuple) else (i,)
    pad = ((p,) if isinstance(p, tuple) else p)
    spec = ConvSpec(shape, k, stride=s, padding=pad, dilation=d, transposed=True)
    n = spec.input_size
    md = explain([float(v) - 2 for v in range(n)] if len(shape) == 1 else
                 [[float(r * shape[1] + c) - 4 for c in range(shape[1])] for r in range(shape[0])],
                 [[-1.0] * k] * k if len(shape) == 2 else [-1.0] * k, spec, lang)
    assert not _ASCII_MINUS.search(md), _ASCII_MINUS.search(md)


# --- #6: Spanish as a Spanish-speaking teacher writes it ------------------------------------

ES = {key: TABLES[key]["es"] for key in TABLES}


@pytest.mark.parametrize("key", sorted(ES))
def test_spanish_rules(key):
    s = ES[key]
    assert not re.search(r"\bpasos\b", s), f"steps are posiciones/ventanas: {s!r}"
    assert not re.match(r"(Paso|Relleno|Dilatación) \{?\w+\}?:", s), f"opener: {s!r}"
    assert "blanco" not in s, f"names a colour: {s!r}"
    assert "rotado" not in s, f"the rotated kernel is the 'filtro invertido': {s!r}"
    assert "p_b" not in s and "p_a" not in s, s
    for calque in ("Rellenos con nombre", "mitad (same)", "Entrada en abanico",
                   "Plegamos y de vuelta", "el piso", "estirada", "paso a paso"):
        assert calque not in s, s
    # output_padding only in formulas ("output_padding = …"); prose says "relleno de salida".
    assert all(s[m.end():].startswith(" =") or s[m.end():].startswith("=")
               for m in re.finditer("output_padding", s)), s


def test_spanish_names_the_cli_and_gallery_parts():
    for key in ("list_scenes", "list_presets", "gallery_failed_detail", "gallery_failed_line"):
        assert ES[key] != TABLES[key]["en"]
    assert gallery_param_name("stride", "es") == "paso"
    assert gallery_param_name("output-padding", "es") == "relleno de salida"
    assert gallery_param_name("padding", "es") == "relleno"
    assert gallery_param_name("unknown-key", "es") == "unknown-key"
    assert "por celda de entrada" in ES["matrix_build"]
    assert ES["conn_fan_in"].startswith("Abanico de entrada (fan-in)")


# --- #6: no underscore between letters reaches the screen ------------------------------------

#: PyTorch's own parameter and function names, which formulas keep as typed (issue 12 #6:
#: "formulas may keep output_padding"; prose says "output padding" / "relleno de salida").
CODE_NAMES = ("output_padding", "output_size", "conv_transpose")
_LETTER_UNDERSCORE = re.compile(r"[^\W\d_]_[^\W\d_]")


def _sample(template: str) -> str:
    values: dict[str, object] = {f: 2 for f in COUNTS}
    values.update(TEXTS)
    return format_template(template, **values)


@pytest.mark.parametrize(("key", "lang"), CASES)
def test_no_underscore_between_letters_on_screen(key, lang):
    from scenes.kit.text import shown_text

    drawn = shown_text(_sample(TABLES[key][lang]))
    for name in CODE_NAMES:
        drawn = drawn.replace(name, "")
    assert not _LETTER_UNDERSCORE.search(drawn), f"{key}/{lang}: {drawn!r}"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("spec", [
    ConvSpec((5,), 3, padding=((1, 2),)), ConvSpec((6,), 3, stride=2, padding="same"),
    ConvSpec((5, 5), 3, padding=((1, 0), (0, 2))), ConvSpec((5,), 3, stride=2, dilation=2),
    ConvSpec((3,), 3, stride=2, padding=((2, 1),), transposed=True),
], ids=repr)
def test_the_size_formulas_draw_subscripts(spec, lang):
    """A1 and the size scenes draw ``derive_output_size``'s lines: ``p_b + p_a`` as p_b."""
    from scenes.kit.text import shown_text

    der = derive_output_size(spec, lang)
    lines = [der.text, *(t for ax in der.axes for t in (ax.general, ax.substituted, *ax.notes))]
    for line in lines:
        drawn = shown_text(line)
        for name in CODE_NAMES:
            drawn = drawn.replace(name, "")
        assert not _LETTER_UNDERSCORE.search(drawn), drawn


def test_shown_text_draws_subscripts():
    from scenes.kit.text import shown_text

    general = derive_output_size(ConvSpec((5,), 3, padding=((1, 2),))).axes[0].general
    assert "p_b + p_a" in general  # the engine's text; the kit draws p<sub>b</sub>
    assert "pb + pa" in shown_text(general) and "_" not in shown_text(general)
    assert shown_text("(k_eff − 1)") == "(keff − 1)"


#: Templates whose "all" / "todas" / "todos" quantifies no count of the template.
ALL_OF_NO_COUNT = {
    "conn_fan_out_equal",  # the fan-outs of every input cell (their number is not a field)
    "scene_desc_channels",  # "todos los canales de entrada": no count on screen
}
_ALL = re.compile(r"\b(all|todas|todos)\b", re.I)
_TWO = re.compile(r"\b(both|ambas|ambos|dos)\b", re.I)


def _render_all(template: str, value: int) -> str:
    values: dict[str, object] = {f: Count(value) for f in COUNTS}
    values.update(TEXTS)
    return format_template(template, **values)


@pytest.mark.parametrize(("key", "lang"), CASES)
def test_all_is_said_of_three_or_more(key, lang):
    """Of two things English says "both" and Spanish "ambas/los dos", never "all/todas"."""
    template = TABLES[key][lang]
    if key in ALL_OF_NO_COUNT or not _fields(template) & set(COUNTS):
        return
    two = _render_all(template, 2)
    assert not _ALL.search(two), f"{key}/{lang}: {two!r}"
    if _ALL.search(_render_all(template, 3)):
        assert _TWO.search(two), f"{key}/{lang}: {two!r}"
        assert not _ALL.search(_render_all(template, 1)) and not _TWO.search(
            _render_all(template, 1)), f"{key}/{lang}"
