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

__all__ = ["Lang", "LANGS", "STRINGS", "check_lang", "format_template", "text"]

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
    "step": {"en": "step", "es": "paso"},
    "matrix": {"en": "matrix", "es": "matriz"},
    "flipped_kernel": {"en": "flipped kernel", "es": "filtro invertido"},
    "convolution": {"en": "convolution", "es": "convolución"},
    "cross_correlation": {"en": "cross-correlation", "es": "correlación cruzada"},
    "transposed_convolution": {"en": "transposed convolution", "es": "convolución transpuesta"},
    "and": {"en": " and ", "es": " y "},
    "axis_prefix": {"en": "axis {axis}: ", "es": "eje {axis}: "},
    # --- size derivation notes ----------------------------------------------------------------
    "note_padded_length": {
        "en": "The padded input has {n} cells; a window of {k_eff} {k_eff:p:cell:cells} fits at "
        "{positions} {positions:p:position:positions, {s} apart}.",
        "es": "La entrada con relleno tiene {n} celdas; una ventana de {k_eff} "
        "{k_eff:p:celda:celdas} cabe en {positions} "
        "{positions:p:posición:posiciones, separadas por {s}}.",
    },
    "note_leftover": {
        "en": "{span} is not a multiple of {s}: {left:p:the last cell is:the last {left} cells "
        "are} reached by no window (the floor drops {left:p:it:them}).",
        "es": "{span} no es múltiplo de {s}: {left:p:la última celda no la alcanza:las últimas "
        "{left} celdas no las alcanza} ninguna ventana (el piso {left:p:la descarta:las "
        "descarta}).",
    },
    "note_same_output": {
        "en": "Inputs of size {sizes} all give {o} outputs.",
        "es": "Las entradas de tamaño {sizes} dan todas {o} salidas.",
    },
    "note_transposed_grid": {
        "en": "Equivalent direct convolution: {zeros} {zeros:p:zero:zeros} inserted between "
        "input cells, "
        "padding {pad_b} before and {pad_a} after, flipped kernel, stride 1.",
        "es": "Convolución directa equivalente: {zeros} {zeros:p:cero insertado:ceros "
        "insertados} entre celdas de la entrada, relleno {pad_b} antes y {pad_a} después, "
        "filtro invertido, paso 1.",
    },
    "note_many_inputs": {
        "en": "Direct inputs of size {sizes} all give {i} outputs, so the transpose alone cannot "
        "tell which size to restore.",
        "es": "Las entradas directas de tamaño {sizes} dan todas {i} salidas, así que la "
        "transpuesta sola no sabe qué tamaño recuperar.",
    },
    "note_recover": {
        "en": "To recover {n}: output_padding = {op}.",
        "es": "Para recuperar {n}: output_padding = {op}.",
    },
    # Large strides: the sizes as a range (OutputSize draws only the smallest and largest rows).
    "note_same_output_range": {
        "en": "Inputs {lo} to {hi} all give {o} {o:p:output:outputs}.",
        "es": "Las entradas de {lo} a {hi} dan todas {o} {o:p:salida:salidas}.",
    },
    "note_many_inputs_range": {
        "en": "Direct inputs {lo} to {hi} ({n} sizes) all give {i} {i:p:output:outputs}, so the "
        "transpose alone cannot tell which size to restore.",
        "es": "Las entradas directas de {lo} a {hi} ({n} tamaños) dan todas {i} "
        "{i:p:salida:salidas}, así que la transpuesta sola no sabe qué tamaño recuperar.",
    },
    "note_recover_range": {
        "en": "To recover {lo} to {hi}: output_padding = {op_lo} to {op_hi}, one value per size.",
        "es": "Para recuperar de {lo} a {hi}: output_padding = {op_lo} a {op_hi}, un valor por "
        "tamaño.",
    },
    # --- worked explanations ----------------------------------------------------------------
    "explain_title": {
        "en": "Worked computation", "es": "Cálculo paso a paso",
    },
    "explain_sizes_title": {"en": "Output size", "es": "Tamaño de salida"},
    "explain_input_title": {"en": "Input x", "es": "Entrada x"},
    "explain_kernel_title": {"en": "Kernel w", "es": "Filtro w"},
    "explain_mode_corr": {
        "en": "Cross-correlation (deep learning): the kernel is not flipped.",
        "es": "Correlación cruzada (aprendizaje profundo): el filtro no se invierte.",
    },
    "explain_mode_conv": {
        "en": "Mathematical convolution (numpy, scipy): the kernel is rotated 180°.",
        "es": "Convolución matemática (numpy, scipy): el filtro se rota 180°.",
    },
    "explain_mode_transposed": {
        "en": "Transposed convolution, computed as its equivalent direct convolution over the "
        "zero-inserted, padded input with the flipped kernel.",
        "es": "Convolución transpuesta, calculada como su convolución directa equivalente sobre "
        "la entrada con ceros insertados y relleno, con el filtro invertido.",
    },
    "explain_result": {"en": "Result", "es": "Resultado"},
    "explain_more_steps": {
        "en": "… {n} more steps, computed the same way.",
        "es": "… {n} pasos más, calculados de la misma forma.",
    },
    "explain_config": {
        "en": "{kind} of a {input} input with a {kernel} kernel, stride {stride}, padding "
        "{padding}{extra} → {output} output",
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
    "explain_groups": {"en": " in {g} groups", "es": " en {g} grupos"},
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
    # --- named paddings (sizes.named_cases) ---------------------------------------------------
    "case_valid": {"en": "valid", "es": "valid"},
    "case_half": {"en": "half (same)", "es": "mitad (same)"},
    "case_same": {"en": "same (TensorFlow)", "es": "same (TensorFlow)"},
    "case_full": {"en": "full", "es": "full"},
    "case_note_valid": {
        "en": "no padding: only windows entirely inside the input",
        "es": "sin relleno: solo ventanas completamente dentro de la entrada",
    },
    "case_note_impossible": {
        "en": "the kernel spans {k_eff} cells, more than the input's {i}: no valid window",
        "es": "el filtro abarca {k_eff} celdas, más que las {i} de la entrada: ninguna ventana",
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
    """``str.format`` plus one spec for plurals: ``{n:p:cell:cells}``.

    ``p:ONE:OTHER`` writes ONE when the value is 1 and OTHER otherwise; both may hold nested
    fields (``{n:p:position:positions, {s} apart}``), which ``str.format`` expands first.
    """

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec.startswith("p:"):
            one, _, other = format_spec[2:].partition(":")
            return one if value == 1 else other
        return super().format_field(value, format_spec)


_FORMATTER = _PluralFormatter()
