"""The engine's human-readable strings, in English and Spanish.

Size derivations, worked explanations, spec descriptions and the names of the parts come from
:data:`STRINGS`, so a word is translated once. Scene, gallery and CLI wording lives with the scenes
(:mod:`scenes.wording`), which formats through :func:`format_template` and falls back to these
strings for the shared names (``input``, ``stride``, …).
"""

from __future__ import annotations

import string
from typing import Literal, TypeAlias

from convmath.errors import ConvMathError

__all__ = ["Lang", "LANGS", "STRINGS", "article", "check_lang", "format_template", "text"]

Lang: TypeAlias = Literal["en", "es"]
LANGS: tuple[str, ...] = ("en", "es")

STRINGS: dict[str, dict[str, str]] = {
    # --- names of the parts (scene labels) --------------------------------------------------
    "input": {"en": "input", "es": "entrada"},
    "kernel": {"en": "kernel", "es": "filtro"},
    "output": {"en": "output", "es": "salida"},
    "padding": {"en": "padding", "es": "relleno"},
    "stride": {"en": "stride", "es": "paso"},
    "dilation": {"en": "dilation", "es": "dilatación"},
    "output_padding": {"en": "output padding", "es": "relleno de salida"},
    "inserted_zero": {"en": "inserted zero", "es": "cero insertado"},
    "weight": {"en": "weight", "es": "peso"},
    "step": {"en": "step", "es": "posición"},  # "paso" is the stride only
    "matrix": {"en": "matrix", "es": "matriz"},
    "flipped_kernel": {"en": "flipped kernel", "es": "filtro invertido"},
    "convolution": {"en": "convolution", "es": "convolución"},
    "cross_correlation": {"en": "cross-correlation", "es": "correlación cruzada"},
    "transposed_convolution": {"en": "transposed convolution", "es": "convolución transpuesta"},
    "and": {"en": " and ", "es": " y "},
    "axis_prefix": {"en": "axis {axis}: ", "es": "eje {axis}: "},
    # --- size derivation notes ----------------------------------------------------------------
    "note_padded_length": {
        "en": "The padded input has {n} {n:p:cell:cells}; a window of {k_eff} "
        "{k_eff:p:cell:cells} fits at {positions} {positions:p:position:positions, {s} apart}.",
        "es": "La entrada con relleno tiene {n} {n:p:celda:celdas}; una ventana de {k_eff} "
        "{k_eff:p:celda:celdas} cabe en {positions} "
        "{positions:p:posición:posiciones, separadas por {s}}.",
    },
    "note_leftover": {
        "en": "{span} is not a multiple of {s}: {left:p:the last cell is:the last {left} cells "
        "are} reached by no window (the floor drops {left:p:it:them}).",
        "es": "{span} no es múltiplo de {s}: {left:p:la última celda no la alcanza:las últimas "
        "{left} celdas no las alcanza} ninguna ventana (el redondeo hacia abajo "
        "{left:p:la descarta:las descarta}).",
    },
    "note_same_output": {
        "en": "{ns:q:The input:Inputs:Inputs} of size {sizes} {ns:q:gives:both give:all give} "
        "an output of size {o}.",
        "es": "{ns:q:La entrada:Las entradas:Las entradas} de tamaño {sizes} "
        "{ns:q:da:dan ambas:dan todas} una salida de tamaño {o}.",
    },
    "note_transposed_grid": {
        "en": "Equivalent direct convolution: {zeros} {zeros:p:zero:zeros} inserted between "
        "neighbouring input cells, {grid_padding}, flipped kernel, stride 1.",
        "es": "Convolución directa equivalente: {zeros:p:se inserta un cero:se insertan {zeros} "
        "ceros} entre cada par de celdas vecinas de la entrada, {grid_padding}, filtro "
        "invertido, paso 1.",
    },
    "note_many_inputs": {
        "en": "{ns:q:The direct input:Direct inputs:Direct inputs} of size {sizes} "
        "{ns:q:gives:both give:all give} an output of size {i}, so the transpose alone "
        "cannot tell which size to restore.",
        "es": "{ns:q:La entrada directa:Las entradas directas:Las entradas directas} de "
        "tamaño {sizes} {ns:q:da:dan ambas:dan todas} una salida de tamaño {i}, así que la "
        "transpuesta por sí sola no puede saber qué tamaño recuperar.",
    },
    "note_recover": {
        "en": "To recover {n}: output_padding = {op}.",
        "es": "Para recuperar {n}: output_padding = {op}.",
    },
    # Large strides: the sizes as a range (OutputSize draws only the smallest and largest rows).
    "note_same_output_range": {
        "en": "Inputs {lo} to {hi} {ns:q:give:both give:all give} an output of size {o}.",
        "es": "{ns:q:La entrada:Las entradas:Las entradas} de {lo} a {hi} "
        "{ns:q:da:dan ambas:dan todas} una salida de tamaño {o}.",
    },
    "note_many_inputs_range": {
        "en": "Direct inputs {lo} to {hi} ({n} {n:p:size:sizes}) {n:q:give:both give:all give} "
        "an output of size {i}, so the transpose alone cannot tell which size to restore.",
        "es": "{n:q:La entrada directa:Las entradas directas:Las entradas directas} de "
        "{lo} a {hi} ({n} {n:p:tamaño:tamaños}) {n:q:da:dan ambas:dan todas} una salida de "
        "tamaño {i}, así que la transpuesta por sí sola no puede saber qué tamaño recuperar.",
    },
    "note_recover_range": {
        "en": "To recover {lo} to {hi}: output_padding = {op_lo} to {op_hi}, one value per size.",
        "es": "Para recuperar de {lo} a {hi}: output_padding = {op_lo} a {op_hi}, un valor por "
        "tamaño.",
    },
    # --- worked explanations ----------------------------------------------------------------
    "explain_title": {
        "en": "Worked computation", "es": "Cálculo detallado",
    },
    "explain_sizes_title": {"en": "Output size", "es": "Tamaño de salida"},
    "explain_input_title": {"en": "Input x", "es": "Entrada x"},
    "explain_kernel_title": {"en": "Kernel w", "es": "Filtro w"},
    "explain_kernel_factor": {
        "en": "Every weight is a multiple of {factor}: w = {factor} × the table below.",
        "es": "Cada peso es un múltiplo de {factor}: w = {factor} × la tabla de abajo.",
    },
    "explain_mode_corr": {
        "en": "Cross-correlation (deep learning): the kernel is not flipped.",
        "es": "Correlación cruzada (aprendizaje profundo): el filtro no se invierte.",
    },
    "explain_mode_conv": {
        "en": "Mathematical convolution (numpy, scipy): the kernel is rotated 180°.",
        "es": "Convolución matemática (numpy, scipy): el filtro se invierte (se gira 180°).",
    },
    "explain_mode_transposed": {
        "en": "Transposed convolution, computed as its equivalent direct convolution over the "
        "zero-inserted, padded input with the flipped kernel.",
        "es": "Convolución transpuesta, calculada como su convolución directa equivalente sobre "
        "la entrada con ceros insertados y relleno, con el filtro invertido.",
    },
    "explain_result": {"en": "Result", "es": "Resultado"},
    "explain_more_steps": {
        "en": "… {n} more {n:p:step:steps}, computed the same way.",
        "es": "… {n} {n:p:posición más, calculada:posiciones más, calculadas} de la misma "
        "forma.",
    },
    "explain_config": {
        # {input_a} / {kernel_a}: "a" or "an" as the number is read (i18n.article).
        "en": "{kind} of {input_a} {input} input with {kernel_a} {kernel} kernel, stride "
        "{stride}, padding {padding}{extra} → {output} output",
        "es": "{kind} de una entrada {input} con un filtro {kernel}, paso {stride}, relleno "
        "{padding}{extra} → salida {output}",
    },
    "explain_length": {"en": "length-{n}", "es": "de longitud {n}"},
    "explain_dilation": {"en": ", dilation {d}", "es": ", dilatación {d}"},
    "explain_output_padding": {
        "en": ", output padding {op}", "es": ", relleno de salida {op}",
    },
    # --- channels (issue 18) -----------------------------------------------------------------
    "explain_channels": {
        "en": ", channels {cin} → {cout}", "es": ", canales {cin} → {cout}",
    },
    "explain_groups": {"en": " in {g} {g:p:group:groups}", "es": " en {g} {g:p:grupo:grupos}"},
    "explain_bias_title": {"en": "Bias b", "es": "Sesgo b"},
    "explain_counts": {
        "en": "Parameters: {params} ({weights} {nw:p:weight:weights} + {biases} "
        "{nb:p:bias:biases}); multiply-adds: {macs}.",
        "es": "Parámetros: {params} ({weights} {nw:p:peso:pesos} + {biases} "
        "{nb:p:sesgo:sesgos}); multiplicaciones-sumas: {macs}.",
    },
    "kind_conv": {"en": "Convolution", "es": "Convolución"},
    "kind_corr": {"en": "Cross-correlation", "es": "Correlación cruzada"},
    "kind_transposed": {"en": "Transposed convolution", "es": "Convolución transpuesta"},
    # --- the equivalent direct convolution's padding (sizes.padding_phrase): a negative
    # padding crops the stretched input -------------------------------------------------------
    "grid_pad": {
        "en": "padding {b} before and {a} after",
        "es": "relleno {b} antes y {a} después",
    },
    "grid_crop": {
        "en": "crop {b} {b:p:cell:cells} before and {a} after",
        "es": "recorta {b} {b:p:celda:celdas} antes y {a} después",
    },
    "grid_crop_before": {
        "en": "crop {b} {b:p:cell:cells} before and pad {a} after",
        "es": "recorta {b} {b:p:celda:celdas} antes y rellena {a} después",
    },
    "grid_crop_after": {
        "en": "pad {b} before and crop {a} {a:p:cell:cells} after",
        "es": "rellena {b} antes y recorta {a} {a:p:celda:celdas} después",
    },
    # --- named paddings (sizes.named_cases) ---------------------------------------------------
    "case_valid": {"en": "valid", "es": "valid"},
    "case_half": {"en": "half (same)", "es": "same (medio filtro)"},
    "case_same": {"en": "same (TensorFlow)", "es": "same (TensorFlow)"},
    "case_full": {"en": "full", "es": "full"},
    "case_note_valid": {
        "en": "no padding: only windows entirely inside the input",
        "es": "sin relleno: solo ventanas completamente dentro de la entrada",
    },
    "case_note_impossible": {
        "en": "the kernel spans {k_eff} {k_eff:p:cell:cells}, more than the input's {i}: no "
        "valid window",
        "es": "el filtro abarca {k_eff} {k_eff:p:celda:celdas}, más que {i:p:la única celda:"
        "las {i} celdas} de la entrada: ninguna ventana válida",
    },
    "case_note_same": {
        "en": "padding {pb} before and {pa} after",
        "es": "relleno {pb} antes y {pa} después",
    },
    "case_note_same_extra": {
        "en": "padding {pb} before and {pa} after: the odd extra cell goes after",
        "es": "relleno {pb} antes y {pa} después: la celda extra va después",
    },
    "case_note_full": {
        "en": "every partial overlap gives an output",
        "es": "cada solapamiento parcial da una salida",
    },
}


_AN_GROUPS = ("11", "18")  # eleven, eighteen (thousand, million …)


def article(number_text: str) -> str:
    """The English indefinite article for a phrase that starts with a number, by sound.

    ``"an"`` when the number is read starting with a vowel sound: eight, eighty, eight hundred
    (any number whose first digit is 8), eleven and eighteen, also as the leading group of
    thousands (``11000`` "eleven thousand", ``18×18``); ``"a"`` otherwise (``1×1`` "one",
    ``12×12``, ``110`` "one hundred ten", ``1100`` "one thousand one hundred", ``length-8``).

    >>> [article(t) for t in ("8×8", "11×11", "18-cell", "80×80", "1×1", "12×12", "length-8")]
    ['an', 'an', 'an', 'an', 'a', 'a', 'a']
    """
    digits = ""
    for ch in str(number_text).replace(",", ""):
        if not ch.isdigit():
            break
        digits += ch
    if not digits:
        return "an" if str(number_text)[:1].lower() in "aeiou" and number_text else "a"
    digits = digits.lstrip("0") or "0"
    if digits[0] == "8":
        return "an"
    lead = len(digits) % 3 or 3  # the leading group: "11" of 11 000, "18" of 18 000 000
    return "an" if lead == 2 and digits[:2] in _AN_GROUPS else "a"


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if it is ``"en"`` or ``"es"``; raise :class:`ConvMathError` otherwise."""
    if lang not in LANGS:
        raise ConvMathError(f"lang={lang!r} is invalid: lang must be one of 'en', 'es'",
                            param="lang")
    return lang  # type: ignore[return-value]


def text(key: str, lang: str = "en", **fmt: object) -> str:
    """The string ``key`` in ``lang``, formatted with ``fmt``.

    Raises
    ------
    ConvMathError
        For an unknown language. An unknown key is a programming error (``KeyError``).
    """
    return format_template(STRINGS[key][check_lang(lang)], **fmt)


def format_template(template: str, **fmt: object) -> str:
    """``template.format(**fmt)`` plus plurals: ``{n:p:cell:cells}`` (:class:`_PluralFormatter`).

    The one formatter behind every string of convanim, engine and scenes alike.
    """
    return _FORMATTER.format(template, **fmt)


class _PluralFormatter(string.Formatter):
    """``str.format`` plus two specs: plurals ``{n:p:cell:cells}`` and quantifiers
    ``{n:q:ONE:TWO:MANY}`` (``{n:q:gives:both give:all give}``: "all" only of three or more).

    ``p:ONE:OTHER`` writes ONE when the value is 1 (or the text ``"1"``) and OTHER otherwise
    (0 and 2 alike, as English and Spanish both do); both may hold nested
    fields (``{n:p:position:positions, {s} apart}``), which ``str.format`` expands first.
    """

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec.startswith("p:"):
            one, _, other = format_spec[2:].partition(":")
            # A count already formatted as text ("1", "1,234") agrees the same way.
            is_one = value.strip() == "1" if isinstance(value, str) else value == 1
            return one if is_one else other
        if format_spec.startswith("q:"):
            one, two, many = (format_spec[2:].split(":") + ["", ""])[:3]
            number = int(value.strip().replace(",", "")) if isinstance(value, str) else value
            return one if number == 1 else two if number == 2 else many
        return super().format_field(value, format_spec)


_FORMATTER = _PluralFormatter()
