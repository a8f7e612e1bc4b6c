"""convanim's command line: ``convanim render | explain | list | gallery``.

A thin click layer: it parses options into a :class:`convmath.ConvSpec` and arrays, then calls
:mod:`convmath` (explain, list) or :func:`scenes.render` (render, gallery) and prints the result.
manim is imported only when something is rendered, so ``--help`` answers at once.

Every bad input ends in one line ``Error: …`` (naming the option, the value and what is allowed)
and exit status 2; a render that fails inside manim exits 1 and says where its log is.
"""

from __future__ import annotations

import html
import re
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import numpy as np

from convmath import KERNEL_PRESETS, PADDING_MODES, ConvMathError, ConvSpec, random_values
from scenes.catalog import SCENE_NAMES, SCENES
from scenes.render import check_size, prepare_folder

if TYPE_CHECKING:
    from scenes.gallery import GalleryEntry

__all__ = [
    "main",
    "cli",
    "OptionError",
    "ArraySource",
    "parse_per_axis",
    "parse_padding",
    "parse_array_source",
    "build_request",
    "Request",
    "load_gallery",
    "GalleryFileError",
    "ENTRY_KEYS",
]

QUALITY_CHOICES = ("low", "medium", "high", "4k", "l", "m", "h", "k")
FORMAT_CHOICES = ("gif", "mp4", "webm", "png")
_ENGINE_TO_OPTION = {
    "input_shape": "--input",
    "kernel_shape": "--kernel",
    "output_padding": "--output-padding",
    "stride": "--stride",
    "padding": "--padding",
    "dilation": "--dilation",
    "transposed": "--transposed",
    "flip": "--flip",
    "x": "--values",
    "w": "--weights",
    "step_time": "--step-time",
    "fps": "--fps",
    "width": "--width",
    "output": "--output",
}


class OptionError(ValueError):
    """A single option value that cannot be used; the message says what is allowed."""


# --- parsing option values (shared by the commands and the gallery's TOML entries) ------------


def _int(token: str) -> int:
    token = token.strip()
    if not re.fullmatch(r"[+-]?\d+", token):
        raise ValueError(token)
    return int(token)


def parse_per_axis(value: object, *, minimum: int, allowed: str) -> tuple[int, ...]:
    """``5`` → ``(5,)``; ``"5x7"`` → ``(5, 7)``; a list of ints (TOML) → a tuple.

    Raises
    ------
    OptionError
        With ``allowed`` (what the option accepts) in the message.
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
        else:
            values = tuple(_int(t) for t in str(value).lower().split("x"))
    except ValueError:
        raise OptionError(f"{_show(value)} is not allowed: {allowed}") from None
    if not 1 <= len(values) <= 2 or min(values) < minimum:
        raise OptionError(f"{_show(value)} is not allowed: {allowed}")
    return values


def _show(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)


PADDING_ALLOWED = (
    "a padding is an integer >= 0 like 1, one per axis like 1x2, before:after per axis like "
    "1:2,0:1, or one of valid, same, full"
)


def parse_padding(value: object) -> str | tuple[int, ...] | tuple[tuple[int, int], ...]:
    """``"same"`` → ``"same"``; ``"1"`` → ``(1,)``; ``"1x2"`` → ``(1, 2)``;
    ``"1:2,0:1"`` → ``((1, 2), (0, 1))``. TOML lists are accepted too.

    Raises
    ------
    OptionError
        For anything else, stating the allowed forms.
    """
    if isinstance(value, str) and value.strip().lower() in PADDING_MODES:
        return value.strip().lower()
    if isinstance(value, str) and (":" in value or "," in value):
        pairs = []
        try:
            for part in value.split(","):
                bits = part.split(":")
                if len(bits) == 1:
                    pairs.append((_int(bits[0]), _int(bits[0])))
                elif len(bits) == 2:
                    pairs.append((_int(bits[0]), _int(bits[1])))
                else:
                    raise ValueError(part)
        except ValueError:
            raise OptionError(f"{_show(value)} is not allowed: {PADDING_ALLOWED}") from None
        if len(pairs) > 2 or min(min(p) for p in pairs) < 0:
            raise OptionError(f"{_show(value)} is not allowed: {PADDING_ALLOWED}")
        return tuple(pairs)
    nested = isinstance(value, list | tuple) and all(isinstance(v, list | tuple) for v in value)
    if nested and value:
        try:
            pairs = [(int(a), int(b)) for a, b in value]
        except (TypeError, ValueError):
            raise OptionError(f"{_show(value)} is not allowed: {PADDING_ALLOWED}") from None
        if len(pairs) > 2 or min(min(p) for p in pairs) < 0:
            raise OptionError(f"{_show(value)} is not allowed: {PADDING_ALLOWED}")
        return tuple(pairs)
    return parse_per_axis(value, minimum=0, allowed=PADDING_ALLOWED)


@dataclass(frozen=True)
class ArraySource:
    """Where ``--values``/``--weights`` come from: seeded random numbers or an array.

    ``array`` is ``None`` for random values (``seed`` ``None`` = the default seed); ``label``
    says how the user wrote it, for messages.
    """

    label: str
    array: np.ndarray | None = None
    seed: int | None = None
    preset: str | None = None
    random: bool = False


ARRAY_FORMS = (
    "random, random:SEED, inline numbers (1D 2,1,0,1,2; 2D rows 1,2,3;4,5,6), or a .npy, .csv "
    "or .txt file"
)


def _load_file(path: Path) -> np.ndarray:
    if not path.exists():
        raise OptionError(f"file '{path}' does not exist")
    if not path.is_file():
        raise OptionError(f"'{path}' is not a file")
    try:
        if path.suffix.lower() == ".npy":
            arr = np.load(path, allow_pickle=False)
        else:
            text = path.read_text()
            delimiter = "," if "," in text else None
            arr = np.loadtxt(path, delimiter=delimiter, dtype=float, ndmin=1)
            if arr.ndim == 2 and arr.shape[0] == 1 and text.strip().count("\n") == 0:
                arr = arr[0]
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise OptionError(f"file '{path}' could not be read as numbers ({detail})") from None
    return np.asarray(arr)


def _parse_inline(text: str) -> np.ndarray:
    rows = [r for r in text.split(";")]
    two_d = len(rows) > 1
    rows = [r for r in rows if r.strip()]
    if not rows:
        raise ValueError(text)
    parsed = [[float(v) for v in r.split(",")] for r in rows]
    if len({len(r) for r in parsed}) != 1:
        lengths = ", ".join(str(len(r)) for r in parsed)
        raise OptionError(f"{text!r} has rows of different lengths ({lengths})")
    arr = np.array(parsed, dtype=float)
    return arr if two_d else arr[0]


def parse_array_source(value: object, *, presets: bool) -> ArraySource:
    """Parse a ``--values``/``--weights`` value (a string, or nested lists from TOML).

    Raises
    ------
    OptionError
        Naming the value and the allowed forms (and the presets, for weights).
    """
    allowed = ARRAY_FORMS + (", or a preset: " + ", ".join(KERNEL_PRESETS) if presets else "")
    if isinstance(value, list):
        try:
            arr = np.array(value, dtype=float)
        except (TypeError, ValueError):
            raise OptionError(f"{value!r} is not an array of numbers") from None
        return _checked(ArraySource(label=str(value), array=arr))
    if not isinstance(value, str):
        raise OptionError(f"{_show(value)} is not one of: {allowed}")
    text = value.strip()
    low = text.lower()
    if low == "random":
        return ArraySource(label=text, random=True)
    if low.startswith("random:"):
        try:
            seed = _int(low.split(":", 1)[1])
            if seed < 0:
                raise ValueError(seed)
        except ValueError:
            raise OptionError(
                f"{text!r} has an invalid seed: write random:SEED with SEED an integer >= 0"
            ) from None
        return ArraySource(label=text, seed=seed, random=True)
    if presets and low in KERNEL_PRESETS:
        return ArraySource(label=low, array=np.array(KERNEL_PRESETS[low]), preset=low)
    if Path(text).suffix.lower() in (".npy", ".csv", ".txt"):
        return _checked(ArraySource(label=text, array=_load_file(Path(text))))
    try:
        arr = _parse_inline(text)
    except ValueError as exc:
        if isinstance(exc, OptionError):
            raise
        raise OptionError(f"{text!r} is not one of: {allowed}") from None
    return _checked(ArraySource(label=text, array=arr))


def _checked(src: ArraySource) -> ArraySource:
    arr = src.array
    assert arr is not None
    if arr.dtype.kind not in "biuf":
        raise OptionError(f"{src.label!r} does not hold numbers")
    if arr.ndim not in (1, 2) or arr.size == 0:
        raise OptionError(f"{src.label!r} has shape {_shape(arr.shape)}: it must be 1D or 2D")
    if not np.all(np.isfinite(arr)):
        raise OptionError(f"{src.label!r} contains NaN or infinite values")
    return ArraySource(label=src.label, array=arr.astype(float), preset=src.preset)


def _shape(shape: tuple[int, ...]) -> str:
    return "x".join(str(v) for v in shape)


# --- click parameter types ---------------------------------------------------------------------


class PerAxisType(click.ParamType):
    """An integer, or one per axis like ``5x7``."""

    def __init__(self, minimum: int, allowed: str, metavar: str = "N|NxM") -> None:
        self.minimum = minimum
        self.allowed = allowed
        self.name = metavar

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        try:
            return parse_per_axis(value, minimum=self.minimum, allowed=self.allowed)
        except OptionError as exc:
            self.fail(str(exc), param, ctx)


class PaddingType(click.ParamType):
    name = "P|PxQ|B:A,B:A|valid|same|full"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        try:
            return parse_padding(value)
        except OptionError as exc:
            self.fail(str(exc), param, ctx)


class ArrayType(click.ParamType):
    def __init__(self, presets: bool) -> None:
        self.presets = presets
        self.name = "random[:SEED]|ROWS|FILE" + ("|PRESET" if presets else "")

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str
                       ) -> list[Any]:
        from click.shell_completion import CompletionItem

        words = ["random", *(KERNEL_PRESETS if self.presets else ())]
        items = [CompletionItem(w) for w in words if w.startswith(incomplete)]
        return items + [CompletionItem(incomplete, type="file")]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, ArraySource):
            return value
        try:
            return parse_array_source(value, presets=self.presets)
        except OptionError as exc:
            self.fail(str(exc), param, ctx)


SIZE = PerAxisType(1, "a size is an integer >= 1 like 5, or one per axis like 5x7")
STRIDE = PerAxisType(1, "a stride is an integer >= 1 like 2, or one per axis like 2x1")
DILATION = PerAxisType(1, "a dilation is an integer >= 1 like 2, or one per axis like 2x1")
OUTPUT_PADDING = PerAxisType(
    0, "an output padding is an integer >= 0 like 1, or one per axis like 1x0"
)


# --- building the request ----------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """A parsed convolution request: the spec and the arrays (``None`` = default random)."""

    spec: ConvSpec
    x: np.ndarray | None
    w: np.ndarray | None


def _engine_message(message: str) -> str:
    """An engine message with its parameter names written as the CLI options."""
    pattern = r"(?<![\w-])(" + "|".join(sorted(_ENGINE_TO_OPTION, key=len, reverse=True)) + r")="
    return re.sub(pattern, lambda m: _ENGINE_TO_OPTION[m.group(1)] + "=", message)


def _axes_for(name: str, value: tuple[int, ...], dims: int) -> tuple[int, ...]:
    if len(value) == 1:
        return value * dims
    if len(value) != dims:
        raise click.UsageError(
            f"{name} {_shape(value)} gives {len(value)} values but --dims is {dims}: "
            + ("give one value" if dims == 1 else "give one value, or one per axis like 2x1")
        )
    return value


def build_request(
    *,
    dims: int | None,
    input: tuple[int, ...] | None,
    kernel: tuple[int, ...] | None,
    stride: tuple[int, ...] = (1,),
    dilation: tuple[int, ...] = (1,),
    padding: Any = (0,),
    transposed: bool = False,
    output_padding: tuple[int, ...] | None = None,
    flip: bool = False,
    values: ArraySource | None = None,
    weights: ArraySource | None = None,
) -> Request:
    """Combine parsed option values into a spec and arrays, checking they agree.

    ``dims``, ``input`` and ``kernel`` are ``None`` when not given: they are then taken from the
    arrays, or default to 2, 5 and 3.

    Raises
    ------
    click.UsageError
        For options that contradict each other (shapes, dimensions, output padding).
    ConvMathError
        For a configuration the engine rejects (with the options' names in its message).
    """
    values = values or ArraySource("default")
    weights = weights or ArraySource("default")
    arrays = {"--values": values.array, "--weights": weights.array}
    ndims = {k: a.ndim for k, a in arrays.items() if a is not None}
    if dims is None:
        implied = {
            k: len(v) for k, v in (("--input", input), ("--kernel", kernel)) if v and len(v) > 1
        }
        if len(set(ndims.values())) > 1:
            raise click.UsageError(
                f"--values is {ndims['--values']}D but --weights is {ndims['--weights']}D: "
                "both must have the same number of dimensions"
            )
        dims = next(iter(ndims.values()), None) or next(iter(implied.values()), None) or 2
    for name, nd in ndims.items():
        if nd != dims:
            src = values if name == "--values" else weights
            hint = " (write 2D rows separated by ';', e.g. 1,2;3,4)" if dims == 2 else ""
            raise click.UsageError(
                f"{name} {src.label!r} is {nd}D but --dims is {dims}: give a {dims}D array{hint}"
            )

    def shape_of(name: str, given: tuple[int, ...] | None, src: ArraySource, default: int
                 ) -> tuple[int, ...]:
        arr_name = "--values" if name == "--input" else "--weights"
        if given is None:
            return src.array.shape if src.array is not None else (default,) * dims
        shape = _axes_for(name, given, dims)
        if src.array is not None and src.array.shape != shape:
            raise click.UsageError(
                f"{arr_name} {src.label!r} has shape {_shape(src.array.shape)} but {name} is "
                f"{_shape(shape)}: they must agree (or leave out {name})"
            )
        return shape

    in_shape = shape_of("--input", input, values, 5)
    k_shape = shape_of("--kernel", kernel, weights, 3)
    if output_padding is not None and any(output_padding) and not transposed:
        raise click.UsageError(
            f"--output-padding {_shape(output_padding)} needs --transposed: output padding only "
            "exists for transposed convolutions"
        )
    if isinstance(padding, tuple) and len(padding) not in (1, dims):
        raise click.UsageError(
            f"--padding gives {len(padding)} values but --dims is {dims}: "
            + ("give one value" if dims == 1 else "give one value, or one per axis")
        )
    if isinstance(padding, tuple) and len(padding) == 1 and isinstance(padding[0], int):
        padding = padding * dims
    if isinstance(padding, tuple) and len(padding) == 1 and dims == 2:
        padding = padding * dims
    try:
        spec = ConvSpec(
            in_shape,
            _axes_for("--kernel", k_shape, dims),
            stride=_axes_for("--stride", stride, dims),
            padding=padding,
            dilation=_axes_for("--dilation", dilation, dims),
            transposed=transposed,
            output_padding=_axes_for("--output-padding", output_padding or (0,), dims),
            flip=flip,
        )
        check_size(spec)
    except ConvMathError as exc:
        raise ConvMathError(_engine_message(str(exc))) from None  # options' names, once

    def resolve(src: ArraySource, shape: tuple[int, ...]) -> np.ndarray | None:
        if src.array is not None:
            return src.array
        if not src.random:
            return None  # the defaults (convmath.default_arrays), resolved by scenes.render
        if src is weights:  # small weights, like the default kernel's fallback
            return random_values(shape, 1 if src.seed is None else src.seed, low=-1, high=2)
        return None if src.seed is None else random_values(shape, src.seed)

    return Request(spec, resolve(values, spec.input_shape), resolve(weights, spec.kernel_shape))


# --- shared options ----------------------------------------------------------------------------


def _compose(*decorators: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def apply(fn: Any) -> Any:
        for deco in reversed(decorators):
            fn = deco(fn)
        return fn

    return apply


conv_options = _compose(
    click.option("--dims", type=click.Choice(["1", "2"]), default=None,
                 help="1D or 2D convolution.  [default: 2, or the arrays' dimensions]"),
    click.option("--input", "input_", type=SIZE, default=None, metavar="N|NxM",
                 help="Input size.  [default: 5, or the shape of --values]"),
    click.option("--kernel", type=SIZE, default=None, metavar="K|KxL",
                 help="Kernel size.  [default: 3, or the shape of --weights]"),
    click.option("--stride", type=STRIDE, default="1", show_default=True, metavar="S|SxT",
                 help="Step of the window."),
    click.option("--dilation", type=DILATION, default="1", show_default=True, metavar="D|DxE",
                 help="Spacing between kernel taps."),
    click.option("--padding", type=PaddingType(), default="0", show_default=True,
                 metavar="P|PxQ|B:A,B:A|valid|same|full",
                 help="Zeros around the input: 1, 1x2, per-axis before:after 1:2,0:1, or "
                 "valid|same|full."),
    click.option("--transposed", is_flag=True,
                 help="Transposed convolution (PyTorch ConvTranspose semantics)."),
    click.option("--output-padding", type=OUTPUT_PADDING, default=None, metavar="A|AxB",
                 help="Transposed only: cells added after the output.  [default: 0]"),
    click.option("--flip", is_flag=True,
                 help="Mathematical convolution (kernel rotated 180°) instead of "
                 "cross-correlation."),
    click.option("--values", type=ArrayType(presets=False), default=None,
                 metavar="random[:SEED]|ROWS|FILE",
                 help="Input values: random (seeded), random:SEED, rows like '1,2,3;4,5,6', or "
                 "a .npy/.csv/.txt file.  [default: random]"),
    click.option("--weights", type=ArrayType(presets=True), default=None,
                 metavar="PRESET|random[:SEED]|ROWS|FILE",
                 help="Kernel values: a preset (see 'convanim list'), random, random:SEED, rows "
                 "like '1,0;0,-1', or a file.  [default: sobel-x for a 3x3 kernel, else random]"),
)

lang_option = click.option("--lang", type=click.Choice(["en", "es"]), default="en",
                           show_default=True, help="Language of labels and text.")

look_options = _compose(
    click.option("--mode", type=click.Choice(["numeric", "schematic"]), default="numeric",
                 show_default=True, help="Numbers in the cells, or shapes only."),
    click.option("--theme", type=click.Choice(["light", "dark"]), default="light",
                 show_default=True, help="Colour theme."),
    lang_option,
)

output_options = _compose(
    click.option("-q", "--quality", type=click.Choice(QUALITY_CHOICES), default="low",
                 show_default=True, help="Resolution preset (l/m/h/k are short forms)."),
    click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="gif",
                 show_default=True, help="Output format (png = the last frame)."),
    click.option("--fps", type=float, default=None, metavar="FPS",
                 help="Frames per second (up to 50 for a GIF).  [default: the quality's; 12.5 "
                 "for a low-quality GIF]"),
    click.option("--width", type=int, default=None, metavar="PIXELS",
                 help="Width in pixels, 64 to 7680 (e.g. 480 for a post); the height follows "
                 "the 16:9 frame.  [default: the quality's; 854 for a low-quality GIF]"),
    click.option("--step-time", type=click.FloatRange(0.05, 10), default=1.0,
                 show_default=True, help="Seconds per step of the animation."),
    click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                 default=None,
                 help="Output file.  [default: a name built from the parameters, under media/]"),
    click.option("--no-cache", is_flag=True, help="Render even if an identical file exists."),
    click.option("--verbose", "-v", is_flag=True, help="Show manim's own log."),
)


def _request_from_options(ctx: click.Context, opts: dict[str, Any]) -> Request:
    return build_request(
        dims=int(opts["dims"]) if opts["dims"] is not None else None,
        input=opts["input_"],
        kernel=opts["kernel"],
        stride=opts["stride"],
        dilation=opts["dilation"],
        padding=opts["padding"],
        transposed=opts["transposed"],
        output_padding=opts["output_padding"],
        flip=opts["flip"],
        values=opts["values"],
        weights=opts["weights"],
    )


# --- the group with one-line errors -----------------------------------------------------------


class ConvanimGroup(click.Group):
    """A group whose standalone run turns every expected failure into one ``Error:`` line."""

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        from scenes.render import RenderError

        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            _fail(exc.format_message(), 2)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except ConvMathError as exc:
            _fail(_engine_message(str(exc)), 2)
        except RenderError as exc:
            _fail(f"{exc}. The log is in {exc.log_path}", 1)
        except click.Abort as exc:
            if isinstance(exc.__cause__, KeyboardInterrupt):
                _fail("interrupted", 130)
            _fail("aborted", 1)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        sys.exit(rv if isinstance(rv, int) else 0)


def _fail(message: str, code: int) -> None:
    line = " ".join(str(message).split())
    click.echo(f"Error: {line}", err=True)
    sys.exit(code)


def _version() -> str:
    try:
        return metadata.version("convanim")
    except metadata.PackageNotFoundError:
        return "unknown"


@click.group(cls=ConvanimGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="""\b
Examples:
  convanim render sliding --input 5 --kernel 3 --stride 2 --padding 1
  convanim render sliding --transposed --stride 2 --theme dark --lang es
  convanim explain --dims 1 --values 2,1,0,1,2 --weights 1,-1 --flip
  convanim list
  convanim gallery --preset arithmetic""")
@click.version_option(_version(), prog_name="convanim")
def cli() -> None:
    """Animated explainers for discrete convolution, ready to paste into a post."""


# --- render --------------------------------------------------------------------------------------


@cli.command(epilog="""\b
Examples:
  convanim render sliding
  convanim render sliding --input 5 --kernel 3 --stride 2 --padding 1 --width 480
  convanim render sliding --dims 1 --values 2,1,0,1,2 --weights 1,-1 --flip
  convanim render matrix --input 4 --kernel 3 --weights sobel-x --format mp4
  convanim render connectivity --transposed --stride 2 --input 3 --lang es
  convanim render sizes --input 7 --kernel 3 --dilation 2 --theme dark
  convanim render flip --weights sobel-x --format png -o sobel.png""")
@click.argument("scene", type=click.Choice(SCENE_NAMES), metavar="SCENE")
@conv_options
@look_options
@output_options
@click.pass_context
def render(ctx: click.Context, scene: str, **opts: Any) -> None:
    """Render SCENE as a GIF, MP4, WebM or PNG.

    SCENE is one of: sliding (A1), matrix (A2), connectivity (A3), superposition, sizes, flip.
    Prints the file's path, size, frames and duration and a Markdown image line with alt text.
    """
    request = _request_from_options(ctx, opts)
    _install_sigterm()
    info = _render_with_progress(scene, request, opts)
    _print_result(info, request.spec, opts["lang"])


def _install_sigterm() -> None:
    """Turn SIGTERM into SystemExit so the render's clean-up (temporary files) runs."""

    def handler(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    if sys.platform != "win32":
        signal.signal(signal.SIGTERM, handler)


def _render_with_progress(scene: str, request: Request, opts: dict[str, Any]) -> Any:
    import scenes.render as scene_render

    with _ProgressBar(f"Rendering {scene}") as bar:
        bar.start()
        return scene_render.render_info(
            scene, request.spec, request.x, request.w,
            mode=opts["mode"], theme=opts["theme"], lang=opts["lang"],
            step_time=opts["step_time"], fmt=opts["fmt"], quality=opts["quality"],
            fps=opts["fps"], width=opts["width"], output=opts["output"],
            cache=not opts["no_cache"], progress=bar.update, verbose=opts["verbose"],
        )


class _ProgressBar:
    """One progress line on stderr for the whole render: frames written so far.

    The number of frames is only known once manim has played the scene, so this counts frames
    rather than guessing a percentage. It draws only on a terminal, at most ten times a second,
    and opens on the first frame (a cache hit shows nothing).
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty()
        self.shown = False
        self.last = 0.0

    def __enter__(self) -> _ProgressBar:
        return self

    def start(self) -> None:
        """Say that work began (building the scene takes a while before the first frame)."""
        if self.enabled:
            click.echo(f"\r{self.label} …", nl=False, err=True)
            self.shown = True

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.1:
            return
        self.last = now
        spin = "|/-\\"[int(now * 8) % 4]
        click.echo(f"\r{self.label} {spin} {done} frames", nl=False, err=True)
        self.shown = True

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            click.echo("\r\033[K", nl=False, err=True)


def _human_bytes(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"


def _print_result(info: Any, spec: ConvSpec, lang: str) -> None:
    from convmath import describe_spec

    click.echo(f"{'Reused (cached)' if info.cached else 'Wrote'} {info.path}")
    click.echo(
        f"  {_human_bytes(info.bytes)} ({info.bytes:,} bytes), "
        + (f"{info.frames} frames, {info.duration:.1f} s, " if info.frames != 1 else "1 frame, ")
        + f"{info.width}×{info.height} px"
        + (f" at {info.fps:g} fps" if info.frames != 1 else "")
    )
    alt, src = describe_spec(spec, lang), info.path.as_posix()
    if info.path.suffix.lower() in (".mp4", ".webm"):  # Markdown has no video syntax: HTML
        click.echo(f'<video src="{html.escape(src)}" width="{info.width}" height="{info.height}" '
                   f'autoplay loop muted playsinline aria-label="{html.escape(alt)}"></video>')
    else:
        click.echo(f"![{alt}]({src})")


# --- explain -------------------------------------------------------------------------------------


@cli.command(epilog="""\b
Examples:
  convanim explain --input 5 --kernel 3 --stride 2 --padding 1
  convanim explain --dims 1 --input 5 --kernel 2 --values 2,1,0,1,2 --weights 1,-1 --flip
  convanim explain --transposed --input 2 --stride 2 --lang es""")
@conv_options
@lang_option
@click.option("--max-steps", type=click.IntRange(0), default=None,
              help="Write out at most this many steps.  [default: all]")
@click.pass_context
def explain(ctx: click.Context, lang: str, max_steps: int | None, **opts: Any) -> None:
    """Print the size derivation and the worked steps as Markdown (no rendering)."""
    import scenes.render as scene_render
    from convmath import explain as explain_md

    request = _request_from_options(ctx, opts)
    x, w = scene_render.resolve_arrays(request.spec, request.x, request.w)
    click.echo(explain_md(x, w, request.spec, lang, max_steps).rstrip("\n"))


# --- list ----------------------------------------------------------------------------------------


@cli.command(name="list")
@lang_option
def list_(lang: str) -> None:
    """List the scenes and the kernel presets (with their matrices)."""
    from convmath import format_number

    click.echo("Scenes:")
    width = max(len(n) for n in SCENES)
    for name, entry in SCENES.items():
        click.echo(f"  {name:<{width}}  {entry.description(lang)}")
    click.echo("")
    click.echo("Kernel presets (--weights NAME):")
    for name, arr in KERNEL_PRESETS.items():
        rows = np.atleast_2d(arr)
        cells = [[format_number(v) for v in row] for row in rows]
        cw = max(len(c) for row in cells for c in row)
        click.echo(f"  {name} ({_shape(arr.shape)})")
        for row in cells:
            click.echo("    " + "  ".join(f"{c:>{cw}}" for c in row))


# --- gallery -------------------------------------------------------------------------------------

#: Keys of a gallery entry (and of [defaults]): the render options, spelled as on the command line.
ENTRY_KEYS = (
    "name", "scene", "caption", "dims", "input", "kernel", "stride", "dilation", "padding",
    "transposed", "output-padding", "flip", "values", "weights", "mode", "theme", "lang",
    "quality", "format", "fps", "width", "step-time",
)
_CHOICES = {
    "mode": ("numeric", "schematic"),
    "theme": ("light", "dark"),
    "lang": ("en", "es"),
    "quality": QUALITY_CHOICES,
    "format": FORMAT_CHOICES,
    "dims": (1, 2),
}
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,80}")


class GalleryFileError(click.UsageError):
    """A gallery file that cannot be used; the message names the file, the entry and the key."""


def _entry_value(key: str, value: Any) -> Any:
    """Parse one entry key's value; raise OptionError for a bad one."""
    if key in ("input", "kernel"):
        return parse_per_axis(value, minimum=1, allowed=SIZE.allowed)
    if key == "stride":
        return parse_per_axis(value, minimum=1, allowed=STRIDE.allowed)
    if key == "dilation":
        return parse_per_axis(value, minimum=1, allowed=DILATION.allowed)
    if key == "output-padding":
        return parse_per_axis(value, minimum=0, allowed=OUTPUT_PADDING.allowed)
    if key == "padding":
        return parse_padding(value)
    if key in ("values", "weights"):
        return parse_array_source(value, presets=key == "weights")
    if key in ("transposed", "flip"):
        if not isinstance(value, bool):
            raise OptionError(f"{_show(value)} is not allowed: write true or false")
        return value
    if key in _CHOICES:
        if value not in _CHOICES[key]:
            allowed = ", ".join(str(c) for c in _CHOICES[key])
            raise OptionError(f"{_show(value)} is not allowed: use one of {allowed}")
        return value
    if key == "scene":
        if value not in SCENE_NAMES:
            raise OptionError(f"{_show(value)} is not allowed: use one of "
                              f"{', '.join(SCENE_NAMES)}")
        return value
    if key == "name":
        if not isinstance(value, str) or not _NAME_RE.fullmatch(value):
            raise OptionError(f"{_show(value)} is not allowed: a name is letters, digits, '_', "
                              "'-' or '.', used as the file name")
        return value
    if key == "caption":
        return _text_by_lang(value, "a caption")
    if key in ("fps", "step-time"):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise OptionError(f"{_show(value)} is not allowed: write a number > 0")
        return float(value)
    if key == "width":
        if isinstance(value, bool) or not isinstance(value, int):
            raise OptionError(f"{_show(value)} is not allowed: write an integer (pixels)")
        return value
    raise AssertionError(key)  # pragma: no cover


def _text_by_lang(value: Any, what: str) -> str | dict[str, str]:
    """A string, or a table of strings by language (``{en = "…", es = "…"}``)."""
    if isinstance(value, str):
        return value
    if (isinstance(value, dict) and value and set(value) <= {"en", "es"}
            and all(isinstance(v, str) for v in value.values())):
        return dict(value)
    raise OptionError(f"{_show(value)} is not allowed: {what} is a string, or a table of strings "
                      "by language like {en = \"…\", es = \"…\"}")


def _in_lang(value: str | dict[str, str] | None, lang: str) -> str:
    if value is None or isinstance(value, str):
        return value or ""
    return value.get(lang) or value.get("en") or next(iter(value.values()))


def _show_param(value: Any) -> str:
    if isinstance(value, ArraySource):
        return value.label
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        if value and isinstance(value[0], tuple):
            return ",".join(f"{a}:{b}" for a, b in value)
        return "x".join(str(v) for v in value)
    return str(value)


def load_gallery(path: Path, overrides: dict[str, Any] | None = None
                 ) -> tuple[str | None, list[GalleryEntry]]:
    """Read a gallery TOML file into ``(title, [GalleryEntry, ...])``.

    ``overrides`` (e.g. ``{"lang": "es"}``) replace the file's values for every entry.

    Raises
    ------
    GalleryFileError
        Naming the file, the entry (number and name) and the key.
    """
    import tomllib

    from scenes.gallery import GalleryEntry

    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GalleryFileError(f"{where}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GalleryFileError(f"{where}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise GalleryFileError(f"{where}: not valid TOML ({exc})") from None
    unknown = set(data) - {"title", "defaults", "entry"}
    if unknown:
        raise GalleryFileError(
            f"{where}: unknown top-level key {sorted(unknown)[0]!r}: allowed are title, "
            "[defaults] and [[entry]]"
        )
    title = data.get("title")
    if title is not None:
        try:
            title = _text_by_lang(title, "a title")
        except OptionError as exc:
            raise GalleryFileError(f"{where}: key 'title': {exc}") from None
    defaults = data.get("defaults", {})
    raw_entries = data.get("entry", [])
    if not isinstance(defaults, dict):
        raise GalleryFileError(f"{where}: [defaults] must be a table")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise GalleryFileError(f"{where}: no entries: add [[entry]] tables with a name and a scene")

    def parsed(table: dict[str, Any], label: str) -> dict[str, Any]:
        out = {}
        for key, value in table.items():
            canon = key.replace("_", "-")
            if canon not in ENTRY_KEYS:
                raise GalleryFileError(
                    f"{where}: {label}: unknown key {key!r}: allowed keys are "
                    f"{', '.join(ENTRY_KEYS)}"
                )
            try:
                out[canon] = _entry_value(canon, value)
            except OptionError as exc:
                raise GalleryFileError(f"{where}: {label}: key {key!r}: {exc}") from None
        return out

    base = parsed(defaults, "[defaults]")
    if "name" in base:
        raise GalleryFileError(f"{where}: [defaults]: key 'name' belongs in each entry")
    extra = parsed(overrides or {}, "options")
    entries = []
    seen: set[str] = set()
    for n, table in enumerate(raw_entries, start=1):
        if not isinstance(table, dict):
            raise GalleryFileError(f"{where}: entry {n}: must be a table ([[entry]])")
        own = parsed(table, f"entry {n}")
        label = f"entry {n} ({own['name']!r})" if "name" in own else f"entry {n}"
        opts = {**base, **own, **extra}
        for key in ("name", "scene"):
            if key not in opts:
                raise GalleryFileError(f"{where}: {label}: key {key!r} is missing")
        if opts["name"] in seen:
            raise GalleryFileError(f"{where}: {label}: name {opts['name']!r} is used twice")
        seen.add(opts["name"])
        try:
            req = build_request(
                dims=opts.get("dims"), input=opts.get("input"), kernel=opts.get("kernel"),
                stride=opts.get("stride", (1,)), dilation=opts.get("dilation", (1,)),
                padding=opts.get("padding", (0,)), transposed=opts.get("transposed", False),
                output_padding=opts.get("output-padding"), flip=opts.get("flip", False),
                values=opts.get("values"), weights=opts.get("weights"),
            )
        except (click.UsageError, ConvMathError) as exc:
            msg = exc.format_message() if isinstance(exc, click.UsageError) else str(exc)
            raise GalleryFileError(f"{where}: {label}: {_engine_message(msg)}") from None
        shown_keys = ("input", "kernel", "stride", "padding", "dilation", "transposed",
                      "output-padding", "flip", "values", "weights", "dims")
        params = {k: _show_param(opts[k]) for k in shown_keys if k in opts}
        entries.append(GalleryEntry(
            name=opts["name"], scene=opts["scene"], spec=req.spec, x=req.x, w=req.w,
            options={
                "mode": opts.get("mode", "numeric"), "theme": opts.get("theme", "light"),
                "lang": opts.get("lang", "en"), "step_time": opts.get("step-time", 1.0),
                "fmt": opts.get("format", "gif"), "quality": opts.get("quality", "low"),
                "fps": opts.get("fps"), "width": opts.get("width"),
            },
            params=params, caption=_in_lang(opts.get("caption"), opts.get("lang", "en")),
        ))
    page_lang = extra.get("lang") or base.get("lang") or (entries[0].lang if entries else "en")
    return (_in_lang(title, page_lang) or None) if title is not None else None, entries


@cli.command(epilog="""\b
Examples:
  convanim gallery --preset arithmetic
  convanim gallery --preset post --lang en -o media/post-en
  convanim gallery my-post.toml --jobs 2
  convanim gallery --preset arithmetic --show > my-gallery.toml   (a file to copy and edit)

\b
A gallery file (TOML): shared [defaults], then one [[entry]] per animation with the
options of 'convanim render' (input, kernel, stride, padding, dilation, transposed,
output-padding, flip, values, weights, dims, mode, theme, lang, quality, format, fps,
width, step-time) plus name, scene and an optional caption:

\b
  title = "My post"
  [defaults]
  scene = "sliding"
  width = 480
  [[entry]]
  name = "stride2"
  input = 5
  stride = 2
  padding = 1""")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--preset", type=click.Choice(["arithmetic", "post"]), default=None,
              help="Render a shipped gallery instead of FILE.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder.  [default: media/gallery/<file or preset name>, plus -<lang>, "
              "-<theme>, -<format> when overridden]")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Worker processes.  [default: the number of cores]")
@click.option("--lang", type=click.Choice(["en", "es"]), default=None,
              help="Override every entry's language.")
@click.option("--theme", type=click.Choice(["light", "dark"]), default=None,
              help="Override every entry's theme.")
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default=None,
              help="Override every entry's format.")
@click.option("--no-cache", is_flag=True, help="Render every entry even if its file is current.")
@click.option("--show", is_flag=True, help="Print the gallery file (e.g. a preset) and exit.")
@click.pass_context
def gallery(ctx: click.Context, file: Path | None, preset: str | None, output: Path | None,
            jobs: int | None, lang: str | None, theme: str | None, fmt: str | None,
            no_cache: bool, show: bool) -> None:
    """Render every animation listed in a TOML FILE (or a --preset) in parallel, then write
    index.html and index.md to browse them and copy Markdown/HTML snippets with alt text.

    Presets: arithmetic (the convolution-arithmetic set: direct, transposed and dilated
    configurations as A1 animations), post (the animations of the post on convolution
    parameters, in Spanish).
    """
    from scenes import gallery as gal

    if (file is None) == (preset is None):
        raise click.UsageError("give either a gallery FILE or --preset NAME (one of them)")
    path = gal.preset_path(preset) if preset else file
    assert path is not None
    if show:
        click.echo(path.read_text(encoding="utf-8").rstrip("\n"))
        return
    overrides = {k: v for k, v in (("lang", lang), ("theme", theme), ("format", fmt)) if v}
    title, entries = load_gallery(path, overrides)
    # Overrides get their own default folder, so `--lang en` does not replace the Spanish set.
    suffix = "".join(f"-{v}" for v in (lang, theme, fmt) if v)
    out_dir = output or Path("media") / "gallery" / f"{preset or path.stem}{suffix}"
    page_lang = lang or (entries[0].lang if entries else "en")
    prepare_folder(out_dir, "output")
    _install_sigterm()
    started = time.monotonic()
    with click.progressbar(length=len(entries), label="Gallery", file=sys.stderr,
                           show_pos=True, item_show_func=lambda r: r.entry.name if r else None
                           ) as bar:
        results = gal.run_gallery(entries, out_dir, jobs=jobs, cache=not no_cache,
                                  on_result=lambda r: bar.update(1, r))
    wall = time.monotonic() - started
    html_path, md_path = gal.write_index(results, out_dir, title=title, lang=page_lang)
    failed = [r for r in results if not r.ok]
    for r in results:
        if r.ok:
            state = "cached  " if r.cached else "rendered"
            click.echo(f"  {state} {r.entry.filename:<44} {r.bytes:>10,} bytes  {r.seconds:6.1f} s")
        else:
            click.echo(f"  FAILED   {r.entry.filename}")
    n_cached = sum(r.cached for r in results if r.ok)
    click.echo(
        f"{len(results) - len(failed)} of {len(results)} ready ({n_cached} from the cache) in "
        f"{wall:.1f} s with {jobs or gal.default_jobs()} worker(s)"
    )
    click.echo(f"Page: {html_path}")
    click.echo(f"Markdown: {md_path}")
    if failed:
        click.echo(f"{len(failed)} failed:", err=True)
        for r in failed:
            where = f" (log: {r.log_path})" if r.log_path else ""
            click.echo(f"  {r.entry.name}: {' '.join(str(r.error).split())}{where}", err=True)
        ctx.exit(1)


def main() -> None:
    """Console-script entry point (``convanim``)."""
    cli(prog_name="convanim")


if __name__ == "__main__":
    main()

