"""Parsers for the values people type: sizes, strides, paddings, arrays, and a spec built from them.

Shared by the command line and gallery files (and usable from any front end): every function
takes a value as typed (a string, or the int / list a TOML file holds) and returns engine types,
or raises :class:`ConvMathError` with ``param`` set to the parameter's Python name
(``"stride"``, ``"input"``, ``"values"``, …) and a message that quotes the value as typed and says
what is allowed. Nothing here knows about click; front ends spell parameter names their own way
by passing ``names`` (``{"stride": "--stride"}``) to :func:`build_conv` and
:func:`spell_error`.

Bounds: every per-axis integer is at most :data:`MAX_AXIS_VALUE`, array files at most
:data:`MAX_FILE_BYTES` bytes and :data:`MAX_ARRAY_CELLS` cells (checked before the file is
parsed: a ``.npy``'s header is read first), so no typed value makes the work unbounded.
"""

from __future__ import annotations

import ast
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from convmath.errors import ConvMathError
from convmath.presets import KERNEL_PRESETS, random_values
from convmath.spec import PADDING_MODES, ConvSpec

__all__ = [
    "MAX_AXIS_VALUE",
    "MAX_ARRAY_CELLS",
    "MAX_FILE_BYTES",
    "SIZE_ALLOWED",
    "STRIDE_ALLOWED",
    "DILATION_ALLOWED",
    "OUTPUT_PADDING_ALLOWED",
    "PADDING_ALLOWED",
    "ARRAY_FORMS",
    "ArraySource",
    "ParsedConv",
    "arrays_for",
    "parse_int",
    "parse_per_axis",
    "parse_padding",
    "parse_inline_array",
    "parse_array_source",
    "load_array_file",
    "build_conv",
    "parse_layer",
    "parse_layers",
    "LAYER_ALLOWED",
    "spell_error",
    "show_value",
]

#: The largest value of any per-axis integer (size, kernel, stride, dilation, padding): no grid
#: convanim draws or explains has more than 10,000 cells, so a larger value can only fail later.
MAX_AXIS_VALUE = 10_000
#: The most cells an array given by value or file may hold.
MAX_ARRAY_CELLS = 10_000
#: The largest array file read (a 10,000-cell CSV with long numbers is well under this).
MAX_FILE_BYTES = 1_000_000

SIZE_ALLOWED = "a size is an integer >= 1 like 5, or one per axis like 5x7"
STRIDE_ALLOWED = "a stride is an integer >= 1 like 2, or one per axis like 2x1"
DILATION_ALLOWED = "a dilation is an integer >= 1 like 2, or one per axis like 2x1"
OUTPUT_PADDING_ALLOWED = "an output padding is an integer >= 0 like 1, or one per axis like 1x0"
PADDING_ALLOWED = (
    "a padding is an integer >= 0 like 1, one per axis like 1x2, before:after per axis like "
    "1:2,0:1, or one of valid, same, full"
)
ARRAY_FORMS = (
    "random, random:SEED, inline numbers (1D 2,1,0,1,2 or 2 1 0 1 2; 2D rows 1,2,3;4,5,6 or "
    "1 2 3; 4 5 6 or [[1,2,3],[4,5,6]]), or a .npy, .csv or .txt file"
)
_ARRAY_SUFFIXES = (".npy", ".csv", ".txt")
_INT_RE = re.compile(r"[+-]?\d{1,40}")


def show_value(value: object) -> str:
    """A value as typed, for messages: strings quoted, numbers and lists as written."""
    return repr(value) if isinstance(value, str) else str(value)


def _bad(param: str | None, value: object, allowed: str) -> ConvMathError:
    return ConvMathError(f"{show_value(value)} is not allowed: {allowed}", param=param)


def parse_int(token: str) -> int:
    """One integer as typed (``"3"``, ``"+2"``, ``"-1"``); :class:`ValueError` otherwise.

    At most 40 digits, so no typed text makes a huge Python integer.
    """
    token = token.strip()
    if not _INT_RE.fullmatch(token):
        raise ValueError(token)
    return int(token)


def parse_per_axis(value: object, *, minimum: int, allowed: str, param: str | None = None,
                   maximum: int = MAX_AXIS_VALUE) -> tuple[int, ...]:
    """``5`` → ``(5,)``; ``"5x7"`` → ``(5, 7)``; a list of ints (TOML) → a tuple.

    Raises
    ------
    ConvMathError
        ``param=param``, quoting ``value`` and ending with ``allowed``; also for a value over
        ``maximum``.
    """
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        if isinstance(value, int):
            values: tuple[int, ...] = (value,)
        elif isinstance(value, list | tuple):
            if any(isinstance(v, bool) or not isinstance(v, int) for v in value):
                raise ValueError(value)
            values = tuple(value)
        elif isinstance(value, str):
            values = tuple(parse_int(t) for t in value.lower().split("x"))
        else:
            raise ValueError(value)
    except ValueError:
        raise _bad(param, value, allowed) from None
    if not 1 <= len(values) <= 2 or min(values) < minimum:
        raise _bad(param, value, allowed)
    if max(values) > maximum:
        raise ConvMathError(
            f"{show_value(value)} is too large: at most {maximum} is allowed ({allowed})",
            param=param,
        )
    return values


def _pair(bits: list[str]) -> tuple[int, int]:
    if len(bits) == 1:
        return parse_int(bits[0]), parse_int(bits[0])
    if len(bits) == 2:
        return parse_int(bits[0]), parse_int(bits[1])
    raise ValueError(bits)


def _checked_pairs(value: object, pairs: list[tuple[int, int]], param: str
                   ) -> tuple[tuple[int, int], ...]:
    if not 1 <= len(pairs) <= 2 or min(min(p) for p in pairs) < 0:
        raise _bad(param, value, PADDING_ALLOWED)
    if max(max(p) for p in pairs) > MAX_AXIS_VALUE:
        raise ConvMathError(
            f"{show_value(value)} is too large: at most {MAX_AXIS_VALUE} is allowed "
            f"({PADDING_ALLOWED})", param=param,
        )
    return tuple(pairs)


def parse_padding(value: object, *, param: str = "padding"
                  ) -> str | tuple[int, ...] | tuple[tuple[int, int], ...]:
    """``"same"`` → ``"same"``; ``"1"`` → ``(1,)``; ``"1x2"`` → ``(1, 2)``;
    ``"1:2,0:1"`` → ``((1, 2), (0, 1))``. TOML lists (``[[1, 2], [0, 1]]``, integers only) are
    accepted too.

    Raises
    ------
    ConvMathError
        ``param=param`` for anything else, stating the allowed forms.
    """
    if isinstance(value, str) and value.strip().lower() in PADDING_MODES:
        return value.strip().lower()
    if isinstance(value, str) and (":" in value or "," in value):
        try:
            pairs = [_pair(part.split(":")) for part in value.split(",")]
        except ValueError:
            raise _bad(param, value, PADDING_ALLOWED) from None
        return _checked_pairs(value, pairs, param)
    nested = isinstance(value, list | tuple) and all(isinstance(v, list | tuple) for v in value)
    if nested and value:
        ok = all(len(v) == 2 and all(isinstance(b, int) and not isinstance(b, bool) for b in v)
                 for v in value)  # type: ignore[union-attr]
        if not ok:
            raise _bad(param, value, PADDING_ALLOWED)
        return _checked_pairs(value, [(int(a), int(b)) for a, b in value], param)  # type: ignore
    return parse_per_axis(value, minimum=0, allowed=PADDING_ALLOWED, param=param)


# --- layer stacks -------------------------------------------------------------------------------

#: What one layer of a stack may be, as typed (``--layer`` and a gallery's ``layers``).
LAYER_ALLOWED = (
    "a layer is K[,S[,P[,D]]] (kernel, stride, padding, dilation, e.g. 3,2,1 or 3x3,1,same,2; an "
    "uneven padding per axis as 1:2x0:1) or keyed like k=3,d=2"
)
_LAYER_FIELDS = ("kernel", "stride", "padding", "dilation")
_LAYER_NAMES = {"k": "kernel", "s": "stride", "p": "padding", "d": "dilation",
                **{f: f for f in _LAYER_FIELDS}}
_FIELD_RULES = {"kernel": (1, SIZE_ALLOWED.replace("a size", "a kernel size")),
                "stride": (1, STRIDE_ALLOWED), "dilation": (1, DILATION_ALLOWED)}


def _layer_bad(n: int, layer: object, why: str) -> ConvMathError:
    return ConvMathError(f"layer {n} = {show_value(layer)}: {why}", param="layers")


def _layer_field(n: int, layer: object, field: str, value: object) -> object:
    """One field of layer ``n`` parsed (padding's ``1:2x0:1`` read as ``1:2,0:1``)."""
    try:
        if field == "padding":
            if isinstance(value, str) and ":" in value:
                value = value.lower().replace("x", ",")
            out = parse_padding(value, param="layers")
            return _as_typed(out) if isinstance(out, tuple) and _is_flat(out) else out
        minimum, allowed = _FIELD_RULES[field]
        return _as_typed(parse_per_axis(value, minimum=minimum, allowed=allowed, param="layers"))
    except ConvMathError as exc:
        raise _layer_bad(n, layer, f"the {field} {exc}") from None


def _is_flat(value: tuple) -> bool:
    return all(isinstance(v, int) for v in value)


def _layer_text(n: int, text: str) -> dict[str, object]:
    fields: dict[str, object] = {}
    keyed = False
    for pos, part in enumerate(p.strip() for p in text.split(",")):
        name, eq, value = part.partition("=")
        if eq:
            field = _LAYER_NAMES.get(name.strip().lower())
            if field is None:
                raise _layer_bad(n, text, f"{name.strip()!r} is not a layer parameter: "
                                 f"{LAYER_ALLOWED}")
            keyed = True
        elif keyed or pos >= len(_LAYER_FIELDS):
            raise _layer_bad(n, text, LAYER_ALLOWED)
        else:
            field, value = _LAYER_FIELDS[pos], part
        if field in fields:
            raise _layer_bad(n, text, f"the {field} is given twice: {LAYER_ALLOWED}")
        fields[field] = value.strip()
    return fields


def parse_layer(layer: object, *, index: int = 0) -> dict[str, object]:
    """One layer of a stack as typed → ``{"kernel", "stride", "padding", "dilation"}`` for
    :func:`convmath.receptive.build_stack` (missing fields: stride 1, padding 0, dilation 1).

    ``layer`` is a string (``"3"``, ``"3,2"``, ``"3x3,1,same,2"``, ``"k=3,d=2"``; an uneven
    per-axis padding as ``1:2x0:1``), or what a TOML file holds: an integer kernel size, a
    ``[kernel, stride, padding, dilation]`` list (trailing entries optional) or a table with
    those keys. ``index`` is the layer's place in the stack (bottom = 0), for messages.

    Raises
    ------
    ConvMathError
        ``param="layers"``, the message starting ``layer N = <as typed>:`` and saying what is
        allowed (:data:`LAYER_ALLOWED`).
    """
    if isinstance(layer, str):
        fields = _layer_text(index, layer)
    elif isinstance(layer, Mapping):
        fields = {}
        for key, value in layer.items():
            field = _LAYER_NAMES.get(str(key).lower())
            if field is None or field in fields:
                raise _layer_bad(index, layer, f"{key!r} is not a layer parameter: "
                                 f"{LAYER_ALLOWED}")
            fields[field] = value
    elif isinstance(layer, int) and not isinstance(layer, bool):
        fields = {"kernel": layer}
    elif isinstance(layer, list | tuple) and 1 <= len(layer) <= len(_LAYER_FIELDS):
        fields = dict(zip(_LAYER_FIELDS, layer))
    else:
        raise _layer_bad(index, layer, LAYER_ALLOWED)
    if "kernel" not in fields or fields["kernel"] in ("", None):
        raise _layer_bad(index, layer, f"the kernel is missing: {LAYER_ALLOWED}")
    return {f: _layer_field(index, layer, f, v) for f, v in fields.items()}


def parse_layers(input_shape: object, layers: object) -> tuple[ConvSpec, ...]:
    """A stack of direct specs from an input size as typed (``"15"``, ``"9x9"``, ``[9, 9]``)
    and layers as typed (:func:`parse_layer` each), chained by
    :func:`convmath.receptive.build_stack` (layer ``l`` takes layer ``l − 1``'s output).

    Raises
    ------
    ConvMathError
        ``param="input"`` for a bad input size; ``param="layers"`` naming the layer for a bad
        layer, an empty stack, or a layer that leaves no output (a kernel larger than the
        padded size that reaches it).
    """
    from convmath.receptive import build_stack

    shape = parse_per_axis(input_shape, minimum=1, allowed=SIZE_ALLOWED, param="input")
    if isinstance(layers, str | Mapping) or not isinstance(layers, list | tuple) or not layers:
        raise ConvMathError(f"layers={show_value(layers)} is invalid: give at least one layer "
                            f"({LAYER_ALLOWED})", param="layers")
    parsed = [parse_layer(layer, index=n) for n, layer in enumerate(layers)]
    return build_stack(shape, parsed)


# --- arrays --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArraySource:
    """Where input values or weights come from: seeded random numbers, a preset or an array.

    Attributes
    ----------
    label : str
        How the user wrote it, for messages and pages.
    array : numpy.ndarray or None
        The values (``float64``, 1D or 2D, finite); ``None`` for random or default values.
    seed : int or None
        ``random:SEED``'s seed (``None``: the default seed).
    preset : str or None
        The kernel preset's name, when one was named.
    random : bool
        ``random`` or ``random:SEED`` was written.
    """

    label: str
    array: np.ndarray | None = None
    seed: int | None = None
    preset: str | None = None
    random: bool = False


def _shown(token: object) -> str:
    text = token if isinstance(token, str) else repr(token)
    return repr(text if len(text) <= 20 else text[:20] + "…")


def _bad_token(text: str, detail: str, param: str | None) -> ConvMathError:
    """The one error of a malformed inline array: the text, the allowed forms, what is wrong
    (the bad token quoted)."""
    exc = ConvMathError(f"{_quoted(text)} is not one of: {ARRAY_FORMS} ({detail})", param=param)
    exc.detail = detail  # type: ignore[attr-defined]  # parse_array_source adds the presets
    return exc


def _quoted(text: str) -> str:
    return repr(text) if len(text) <= 60 else repr(text[:60]) + "…"


def _file_number(token: str) -> float:
    """One number of an array file (:class:`ValueError` otherwise: the file's error says it)."""
    token = token.strip()
    if len(token) > 40:
        raise ValueError(token)
    return float(token)


def _number(token: str, text: str, param: str | None) -> float:
    """One typed number of an inline array; :class:`ConvMathError` naming the token."""
    token = token.strip()
    if not token:
        raise _bad_token(text, "an empty value between two separators", param)
    if len(token) > 40:
        raise _bad_token(text, f"{_shown(token)} is longer than 40 characters", param)
    try:
        return float(token)
    except ValueError:
        raise _bad_token(text, f"{_shown(token)} is not a number", param) from None


def _split_row(row: str) -> list[str]:
    """A row's tokens: comma-separated (``1, 2,3``) or, without commas, space-separated."""
    row = row.strip()
    if not row:
        return []
    return [t.strip() for t in row.split(",")] if "," in row else row.split()


def parse_inline_array(text: str, *, param: str | None = None) -> np.ndarray:
    """Numbers typed inline: ``2,1,0`` or ``2 1 0`` (1D); rows ``1,2;3,4`` or ``1 2 3; 4 5 6``
    (2D); or nested brackets ``[1, 2, 3]`` / ``[[1, 2], [3, 4]]``.

    A trailing ``;`` makes a one-row 2D array (``1,2,3;``).

    Raises
    ------
    ConvMathError
        ``param=param``: the text, the first bad token (not a number, empty between separators,
        over 40 characters, a bracket form nested deeper than 2 or holding a non-number) and
        the allowed forms; rows of different lengths; more than :data:`MAX_ARRAY_CELLS` values.
    """
    text = text.strip()
    if len(text) > MAX_ARRAY_CELLS * 45:
        raise ConvMathError(
            f"the numbers given are too many: at most {MAX_ARRAY_CELLS} values are allowed",
            param=param,
        )
    if text.startswith("["):
        return _bracketed(text, param)
    rows = text.split(";")
    two_d = len(rows) > 1
    parsed = [[_number(t, text, param) for t in _split_row(r)] for r in rows if r.strip()]
    if not parsed:
        raise _bad_token(text, "no numbers", param)
    if len({len(r) for r in parsed}) != 1:
        lengths = ", ".join(str(len(r)) for r in parsed)
        raise ConvMathError(f"{text!r} has rows of different lengths ({lengths})", param=param)
    arr = np.array(parsed, dtype=float)
    return arr if two_d else arr[0]


def _bracketed(text: str, param: str | None) -> np.ndarray:
    depth = deepest = 0
    for c in text:
        depth += (c == "[") - (c == "]")
        deepest = max(deepest, depth)
    if deepest > 2:  # deeper nesting is never an array convanim draws (and not parsed)
        raise _bad_token(text, "brackets nest deeper than [[…]]", param)
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise _bad_token(text, _first_bad_bracketed(text), param) from None
    rows = value if value and isinstance(value, list) and isinstance(value[0], list) else None
    if isinstance(value, list) and rows is not None:
        if not all(isinstance(r, list) for r in rows):
            bad = next(r for r in rows if not isinstance(r, list))
            raise _bad_token(text, f"{_shown(bad)} stands beside the rows", param)
        if len({len(r) for r in rows}) != 1:
            lengths = ", ".join(str(len(r)) for r in rows)
            raise ConvMathError(f"{text!r} has rows of different lengths ({lengths})",
                                param=param)
    return _numeric_array(value, text, param)


def _first_bad_bracketed(text: str) -> str:
    """What is wrong in a bracket form Python cannot read: its first token that is no number."""
    if text.count("[") != text.count("]"):
        return "the brackets do not match"
    for token in re.split(r"[\[\],]+", text):
        token = token.strip()
        if token:
            try:
                float(token)
            except ValueError:
                return f"{_shown(token)} is not a number"
    return "an empty value between two separators"


def _numeric_array(value: Any, text: str, param: str | None = None) -> np.ndarray:
    """Nested lists (one or two levels) of numbers as a float array; else ConvMathError."""
    if not isinstance(value, list):
        raise _bad_token(text, f"{_shown(value)} is not a list of numbers", param)
    if not value:
        raise _bad_token(text, "the brackets hold no numbers", param)
    flat = [v for r in value for v in r] if isinstance(value[0], list) else value
    if not flat:
        raise _bad_token(text, "a row is empty", param)
    bad = next((v for v in flat if not isinstance(v, int | float) or isinstance(v, bool)), None)
    if bad is not None or any(isinstance(v, list) for v in flat):
        raise _bad_token(text, f"{_shown(bad)} is not a number", param)
    try:
        return np.array(value, dtype=float)
    except (OverflowError, ValueError):
        raise _bad_token(text, "a number is too large", param) from None


def _check_file(path: Path, param: str | None) -> os.stat_result:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ConvMathError(f"file '{path}' does not exist", param=param) from None
    except OSError as exc:
        raise ConvMathError(f"file '{path}' cannot be read ({exc.strerror or exc})",
                            param=param) from None
    if not path.is_file():
        raise ConvMathError(f"'{path}' is not a file", param=param)
    if st.st_size > MAX_FILE_BYTES:
        raise ConvMathError(
            f"file '{path}' is too large ({st.st_size:,} bytes): array files may have at most "
            f"{MAX_FILE_BYTES:,} bytes and {MAX_ARRAY_CELLS} values", param=param,
        )
    return st


def _npy_header(fh: Any, path: Path, param: str | None) -> None:
    """Check a ``.npy``'s header (shape, dtype) before its data is read."""
    fmt = np.lib.format
    try:
        version = fmt.read_magic(fh)
        reader = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
        shape, _fortran, dtype = reader(fh)
    except (ValueError, EOFError, OSError, SyntaxError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else "empty or truncated file"
        raise ConvMathError(
            f"file '{path}' is not a valid .npy file ({detail})", param=param
        ) from None
    cells = math.prod(int(n) for n in shape)
    if len(shape) not in (1, 2) or cells > MAX_ARRAY_CELLS:
        raise ConvMathError(
            f"file '{path}' holds an array of shape {'x'.join(map(str, shape)) or 'scalar'}: "
            f"arrays must be 1D or 2D with at most {MAX_ARRAY_CELLS} values", param=param,
        )
    if dtype.kind not in "biuf":
        raise ConvMathError(f"file '{path}' does not hold real numbers (dtype {dtype})",
                            param=param)


def load_array_file(path: Path, *, param: str | None = None) -> np.ndarray:
    """The numbers in a ``.npy``, ``.csv`` or ``.txt`` file (1D or 2D).

    The file's size (and a ``.npy``'s header) is checked before anything is parsed; a CSV's
    delimiter is ``,`` when the text holds one, else whitespace. Messages never quote the file's
    contents.

    Raises
    ------
    ConvMathError
        ``param=param``: missing, not a file, too large, or not numbers.
    """
    _check_file(path, param)
    try:
        if path.suffix.lower() == ".npy":
            with open(path, "rb") as fh:
                _npy_header(fh, path, param)
            return np.asarray(np.load(path, allow_pickle=False))
        text = path.read_text(encoding="utf-8-sig")
        rows = [r for r in text.splitlines() if r.strip()]
        if not rows:
            raise ValueError("no numbers")
        parsed = [[_file_number(t) for t in _split_row(r)] for r in rows]
        if len({len(r) for r in parsed}) != 1:
            raise ValueError("rows of different lengths")
        arr = np.array(parsed, dtype=float)
        return arr[0] if arr.shape[0] == 1 else arr
    except ConvMathError:
        raise
    except (OSError, ValueError, UnicodeDecodeError, EOFError, MemoryError) as exc:
        detail = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else (
            "a value is not a number" if isinstance(exc, ValueError)
            and str(exc) not in ("no numbers", "rows of different lengths")
            else (str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
        raise ConvMathError(f"file '{path}' could not be read as numbers ({detail})",
                            param=param) from None


def parse_array_source(value: object, *, presets: bool, param: str | None = None,
                       root: Path | None = None, allow_outside: bool = True) -> ArraySource:
    """Parse a values/weights value: a string, or nested lists (TOML).

    Parameters
    ----------
    value
        ``random``, ``random:SEED``, inline numbers (:func:`parse_inline_array`), a file name
        ending in ``.npy``/``.csv``/``.txt``, a kernel preset's name (when ``presets``), or a list.
    presets
        Whether kernel preset names are accepted.
    param
        The parameter name carried by errors.
    root, allow_outside
        File names resolve relative to ``root`` when given (a gallery file's folder); a file
        outside ``root`` is refused unless ``allow_outside``.

    Raises
    ------
    ConvMathError
        ``param=param``, naming the value and the allowed forms (and the presets, for weights).
    """
    allowed = ARRAY_FORMS + (", or a preset: " + ", ".join(KERNEL_PRESETS) if presets else "")
    if isinstance(value, list):
        arr = _numeric_array(value, str(value), param)
        return _checked(ArraySource(label=str(value), array=arr), param)
    if not isinstance(value, str):
        raise ConvMathError(f"{show_value(value)} is not one of: {allowed}", param=param)
    text = value.strip()
    low = text.lower()
    if low == "random" or low.startswith("random:"):
        return _random_source(text, param)
    if presets and low in KERNEL_PRESETS:
        return ArraySource(label=low, array=np.array(KERNEL_PRESETS[low]), preset=low)
    if Path(text).suffix.lower() in _ARRAY_SUFFIXES:
        path = _resolve_file(Path(text), root, allow_outside, param)
        return _checked(ArraySource(label=text, array=load_array_file(path, param=param)), param)
    try:
        arr = parse_inline_array(text, param=param)
    except ConvMathError as exc:
        detail = getattr(exc, "detail", None)
        if detail is None or not presets:
            raise
        # One word is a preset name mistyped (the presets list says it); more, what is wrong.
        one_word = len(text.split()) == 1 and not set(",;[]") & set(text)
        raise ConvMathError(f"{_quoted(text)} is not one of: {allowed}"
                            + ("" if one_word else f" ({detail})"), param=param) from None
    return _checked(ArraySource(label=text, array=arr), param)


def _random_source(text: str, param: str | None) -> ArraySource:
    if text.lower() == "random":
        return ArraySource(label=text, random=True)
    try:
        seed = parse_int(text.split(":", 1)[1])
        if seed < 0:
            raise ValueError(seed)
    except ValueError:
        raise ConvMathError(
            f"{text!r} has an invalid seed: write random:SEED with SEED an integer >= 0",
            param=param,
        ) from None
    return ArraySource(label=text, seed=seed, random=True)


def _resolve_file(path: Path, root: Path | None, allow_outside: bool, param: str | None
                  ) -> Path:
    if root is None:
        return path
    full = (root / path.expanduser()).resolve()
    if not allow_outside and not full.is_relative_to(root.resolve()):
        raise ConvMathError(
            f"file '{path}' is outside the gallery file's folder '{root}': reading it needs "
            "the option that allows files outside it (--allow-outside)", param=param,
        )
    return full


def _checked(src: ArraySource, param: str | None) -> ArraySource:
    arr = src.array
    assert arr is not None
    if arr.dtype.kind not in "biuf":
        raise ConvMathError(f"{src.label!r} does not hold numbers", param=param)
    if arr.ndim not in (1, 2) or arr.size == 0:
        shape = "x".join(str(v) for v in arr.shape)
        raise ConvMathError(f"{src.label!r} has shape {shape}: it must be 1D or 2D", param=param)
    if arr.size > MAX_ARRAY_CELLS:
        raise ConvMathError(f"{src.label!r} has {arr.size} values: at most {MAX_ARRAY_CELLS} "
                            "are allowed", param=param)
    if not np.all(np.isfinite(arr)):
        raise ConvMathError(f"{src.label!r} contains NaN or infinite values", param=param)
    return ArraySource(label=src.label, array=arr.astype(float), preset=src.preset)


# --- one spec from parsed values ----------------------------------------------------------------


@dataclass(frozen=True)
class ParsedConv:
    """A parsed convolution: the spec and the arrays (``None`` = the scene's defaults)."""

    spec: ConvSpec
    x: np.ndarray | None
    w: np.ndarray | None


def _namer(names: Mapping[str, str] | None):
    def name(param: str) -> str:
        return (names or {}).get(param, param)
    return name


def _shape_text(shape: tuple[int, ...]) -> str:
    return "x".join(str(v) for v in shape)


def _axes(key: str, value: tuple[int, ...], dims: int, name: Any) -> tuple[int, ...]:
    if len(value) == 1:
        return value * dims
    if len(value) != dims:
        raise ConvMathError(
            f"{name(key)} {_shape_text(value)} gives {len(value)} values but {name('dims')} is "
            f"{dims}: "
            + ("give one value" if dims == 1 else "give one value, or one per axis like 2x1"),
            param=key,
        )
    return value


def _as_typed(value: tuple[int, ...]) -> int | tuple[int, ...]:
    """A per-axis value for the engine as the user typed it: one integer stays an integer (the
    engine then quotes ``2``, not ``(2, 2)``)."""
    return value[0] if len(value) == 1 else value


def _dims_of(dims: int | None, input: tuple[int, ...] | None, kernel: tuple[int, ...] | None,
             sources: dict[str, ArraySource], name: Any) -> int:
    ndims = {k: s.array.ndim for k, s in sources.items() if s.array is not None}
    if dims is None:
        if len(set(ndims.values())) > 1:
            raise ConvMathError(
                f"{name('values')} is {ndims['values']}D but {name('weights')} is "
                f"{ndims['weights']}D: both must have the same number of dimensions",
                param="weights",
            )
        implied = [len(v) for v in (input, kernel) if v and len(v) > 1]
        dims = next(iter(ndims.values()), None) or next(iter(implied), None) or 2
    for key, nd in ndims.items():
        if nd != dims:
            hint = " (write 2D rows separated by ';', e.g. 1,2;3,4)" if dims == 2 else ""
            raise ConvMathError(
                f"{name(key)} {sources[key].label!r} is {nd}D but {name('dims')} is {dims}: "
                f"give a {dims}D array{hint}", param=key,
            )
    return dims


def _shape_of(key: str, given: tuple[int, ...] | None, src: ArraySource, default: int, dims: int,
              name: Any) -> tuple[int, ...]:
    arr_key = "values" if key == "input" else "weights"
    if given is None:
        return src.array.shape if src.array is not None else (default,) * dims
    shape = _axes(key, given, dims, name)
    if src.array is not None and src.array.shape != shape:
        raise ConvMathError(
            f"{name(arr_key)} {src.label!r} has shape {_shape_text(src.array.shape)} but "
            f"{name(key)} is {_shape_text(shape)}: they must agree (or leave out {name(key)})",
            param=arr_key,
        )
    return shape


def _padding_for(padding: Any, dims: int, name: Any) -> Any:
    if isinstance(padding, tuple) and len(padding) not in (1, dims):
        raise ConvMathError(
            f"{name('padding')} gives {len(padding)} values but {name('dims')} is {dims}: "
            + ("give one value" if dims == 1 else "give one value, or one per axis"),
            param="padding",
        )
    if isinstance(padding, tuple) and len(padding) == 1:
        return padding[0] if isinstance(padding[0], int) else padding * dims
    return padding


def build_conv(
    *,
    dims: int | None = None,
    input: tuple[int, ...] | None = None,
    kernel: tuple[int, ...] | None = None,
    stride: tuple[int, ...] = (1,),
    dilation: tuple[int, ...] = (1,),
    padding: Any = (0,),
    transposed: bool = False,
    output_padding: tuple[int, ...] | None = None,
    flip: bool = False,
    values: ArraySource | None = None,
    weights: ArraySource | None = None,
    names: Mapping[str, str] | None = None,
    in_channels: int = 1,
    out_channels: int = 1,
    groups: int = 1,
) -> ParsedConv:
    """Combine parsed values into a :class:`ConvSpec` and arrays, checking that they agree.

    ``dims``, ``input`` and ``kernel`` are ``None`` when not given: they are then taken from the
    arrays, or default to 2, 5 and 3. Values typed once (``stride 2``) reach the engine as one
    integer, so its messages quote them as typed. ``names`` spells the parameters in messages
    (``{"padding": "--padding", "dims": "--dims"}``); default: the parameter names themselves.
    ``in_channels``, ``out_channels``, ``groups`` go to the spec (issue 18); with channels the
    arrays have ``spec.x_shape`` / ``spec.w_shape`` and the sizes come from ``input``/``kernel``
    (or their defaults), not from the arrays.

    Raises
    ------
    ConvMathError
        With ``param`` one of this function's parameter names for options that contradict
        each other; a configuration the engine rejects keeps the engine's ``param``
        (``kernel_shape``, ``input_shape``, ``output_padding``, …).
    """
    name = _namer(names)
    values = values or ArraySource("default")
    weights = weights or ArraySource("default")
    sources = {"values": values, "weights": weights}
    channels = (in_channels, out_channels, groups) != (1, 1, 1)
    plain = ArraySource("default")  # with channels, the arrays do not give the sizes
    nd = _dims_of(dims, input, kernel, {} if channels else sources, name)
    in_shape = _shape_of("input", input, plain if channels else values, 5, nd, name)
    k_shape = _shape_of("kernel", kernel, plain if channels else weights, 3, nd, name)
    if output_padding is not None and any(output_padding) and not transposed:
        raise ConvMathError(
            f"{name('output_padding')} {_shape_text(output_padding)} needs "
            f"{name('transposed')}: output padding only exists for transposed convolutions",
            param="output_padding",
        )
    pad = _padding_for(padding, nd, name)
    per_axis = {
        "stride": stride, "dilation": dilation, "output_padding": output_padding or (0,),
    }
    for key, value in per_axis.items():
        _axes(key, value, nd, name)
    spec = ConvSpec(  # its errors carry the engine's names (kernel_shape, …): see spell_error
        in_shape,
        kernel[0] if kernel is not None and len(kernel) == 1 else k_shape,
        stride=_as_typed(stride), padding=pad, dilation=_as_typed(dilation),
        transposed=transposed, output_padding=_as_typed(per_axis["output_padding"]),
        flip=flip, in_channels=in_channels, out_channels=out_channels, groups=groups,
    )
    return ParsedConv(spec, _resolve(values, spec.x_shape, False),
                      _resolve(weights, spec.w_shape, True))


def arrays_for(spec: ConvSpec, values: ArraySource | None = None,
               weights: ArraySource | None = None) -> ParsedConv | None:
    """``spec`` with the arrays ``values`` and ``weights`` give for it (``None`` sources: the
    scene's defaults, filled in later), or ``None`` when a given array's shape is not
    ``spec.x_shape`` / ``spec.w_shape`` (a scene's own example then does not apply: the
    arrays' shapes decide, as in :func:`build_conv`).

    Random sources are drawn for ``spec``'s shapes, as :func:`build_conv` draws them.
    """
    values = values or ArraySource("default")
    weights = weights or ArraySource("default")
    for src, shape in ((values, spec.x_shape), (weights, spec.w_shape)):
        if src.array is not None and src.array.shape != shape:
            return None
    return ParsedConv(spec, _resolve(values, spec.x_shape, False),
                      _resolve(weights, spec.w_shape, True))


def _resolve(src: ArraySource, shape: tuple[int, ...], small: bool) -> np.ndarray | None:
    if src.array is not None:
        return src.array
    if not src.random:
        return None  # the scene's defaults, filled in by the render pipeline
    if small:  # small weights, like the default kernel's fallback
        return random_values(shape, 1 if src.seed is None else src.seed, low=-1, high=2)
    # Random values, as asked: never the structured input an edge preset gets by default.
    return random_values(shape, 0 if src.seed is None else src.seed)


def spell_error(exc: ConvMathError, names: Mapping[str, str]) -> str:
    """``exc``'s message with its leading parameter name spelled as a front end spells it.

    Engine messages start ``param=value …`` (``stride=0 is invalid: …``); when ``exc.param`` is
    in ``names`` and the message starts with it, that one leading name is replaced
    (``--stride=0 is invalid: …``). Nothing else in the message is touched. An error raised
    without ``param`` is read by the same convention: its parameter is the name before the
    first ``=``, when that is one of ``names``.
    """
    message, param = str(exc), exc.param
    if param is None:
        head = message.split("=", 1)[0]
        param = head if "=" in message and head in names else None
    if param is not None and param in names:
        for prefix in (f"{param}=", f"{param} "):
            if message.startswith(prefix):
                return names[param] + message[len(param):]
    return message
