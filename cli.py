"""convanim's command line: ``convanim render | explain | list | gallery``.

A thin click layer: click types and shared options built from the pipeline's one vocabulary
(:mod:`scenes.pipeline.options`) and the engine's parsers (:mod:`convmath.parse`); four short
commands that call :mod:`convmath` (explain, list), :mod:`scenes.pipeline` (render) and
:mod:`scenes.gallery` (gallery); and one place, :class:`ConvanimGroup`, that turns every library
error into one ``Error: …`` line and an exit status (2 for bad input, 1 for a failed render,
75 when another render holds the output's lock, 130 when interrupted). manim is imported only
when something is rendered, so ``--help`` answers at once.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import click
import numpy as np

from convmath import KERNEL_PRESETS, ConvMathError
from convmath import parse as P
from scenes.catalog import SCENE_NAMES, SCENES
from scenes.pipeline.options import FORMATS, LANGS, MODES, QUALITY_CHOICES, THEMES

__all__ = ["main", "cli", "OPTION_NAMES", "conv_from_options"]

#: How the CLI spells the library's parameter names (``ConvMathError.param``) in messages.
OPTION_NAMES = {
    "input": "--input", "input_shape": "--input", "kernel": "--kernel",
    "kernel_shape": "--kernel", "stride": "--stride", "padding": "--padding",
    "dilation": "--dilation", "transposed": "--transposed", "output_padding": "--output-padding",
    "flip": "--flip", "values": "--values", "x": "--values", "weights": "--weights",
    "w": "--weights", "dims": "--dims", "mode": "--mode", "theme": "--theme", "lang": "--lang",
    "step_time": "--step-time", "fmt": "--format", "quality": "--quality", "fps": "--fps",
    "width": "--width", "frame": "--frame", "output": "--output", "jobs": "--jobs",
    "preset": "--preset",
    "in_channels": "--in-channels", "out_channels": "--out-channels", "groups": "--groups",
    "bias": "--bias", "image": "--image", "image_size": "--image-size",
}
_SIGNALS = ("SIGTERM", "SIGHUP", "SIGQUIT")


# --- click types: the engine's parsers, failing as click failures -----------------------------


class _ParsedType(click.ParamType):
    """A click type whose ``convert`` is one of :mod:`convmath.parse`'s parsers."""

    def __init__(self, name: str, parse: Callable[[Any], Any], passthrough: type) -> None:
        self.name, self._parse, self._passthrough = name, parse, passthrough

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, self._passthrough):
            return value
        try:
            return self._parse(value)
        except ConvMathError as exc:
            self.fail(str(exc), param, ctx)


class ArrayType(_ParsedType):
    """Values or weights: random[:SEED], inline numbers, a file (or a kernel preset)."""

    def __init__(self, presets: bool) -> None:
        self.presets = presets
        super().__init__("random[:SEED]|ROWS|FILE" + ("|PRESET" if presets else ""),
                         lambda v: P.parse_array_source(v, presets=presets), P.ArraySource)

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str
                       ) -> list[Any]:
        from click.shell_completion import CompletionItem

        words = ["random", *(KERNEL_PRESETS if self.presets else ())]
        items = [CompletionItem(w) for w in words if w.startswith(incomplete)]
        return items + [CompletionItem(incomplete, type="file")]


def _per_axis(minimum: int, allowed: str, metavar: str) -> _ParsedType:
    return _ParsedType(metavar, lambda v: P.parse_per_axis(v, minimum=minimum, allowed=allowed),
                       tuple)


class _TypedFloat(float):
    """A float that shows itself as it was typed (``1e9``, not ``1000000000.0``) in messages."""

    text: str

    def __new__(cls, text: str) -> _TypedFloat:
        obj = super().__new__(cls, text)
        obj.text = text.strip()
        return obj

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


def _number(text: str) -> int | float:
    """A number as typed: ``0`` stays the integer 0 and ``1e9`` reads ``1e9`` in messages."""
    try:
        return P.parse_int(text)
    except ValueError:
        pass
    try:
        return _TypedFloat(text)
    except ValueError:
        raise ConvMathError(f"{text!r} is not a number") from None


SIZE = _per_axis(1, P.SIZE_ALLOWED, "N|NxM")
STRIDE = _per_axis(1, P.STRIDE_ALLOWED, "S|SxT")
DILATION = _per_axis(1, P.DILATION_ALLOWED, "D|DxE")
OUTPUT_PADDING = _per_axis(0, P.OUTPUT_PADDING_ALLOWED, "A|AxB")
PADDING = _ParsedType("P|PxQ|B:A,B:A|valid|same|full", P.parse_padding, tuple)
NUMBER = _ParsedType("NUMBER", _number, (int, float))


# --- shared options -----------------------------------------------------------------------------


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
    click.option("--padding", type=PADDING, default="0", show_default=True,
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
                 help="Input values: random (seeded small integers, as random:0), random:SEED, "
                 "rows like '1,2,3;4,5,6', '1 2 3; 4 5 6' or '[[1,2,3],[4,5,6]]', or a "
                 ".npy/.csv/.txt file.  [default: the scene's seeded values; with an edge "
                 "preset (--weights sobel-x, sobel-y, laplacian) an input holding the edge it "
                 "detects: --values random keeps random values]"),
    click.option("--weights", type=ArrayType(presets=True), default=None,
                 metavar="PRESET|random[:SEED]|ROWS|FILE",
                 help="Kernel values: a preset (see 'convanim list'), random, random:SEED, rows "
                 "like '1,0;0,-1', or a file.  [default: the scene's kernel preset when it fits "
                 "(sobel-x for a 3x3 kernel), else random]"),
    click.option("--in-channels", type=int, default=None, metavar="C",
                 help="Input channels (PyTorch's in_channels).  [default: 1, or the scene's]"),
    click.option("--out-channels", type=int, default=None, metavar="C",
                 help="Output channels, one filter each.  [default: 1, or the scene's]"),
    click.option("--groups", type=int, default=None, metavar="G",
                 help="Channel groups; must divide both channel counts.  [default: 1, or the "
                 "scene's]"),
    click.option("--bias", default=None, metavar="B1,B2,...",
                 help="One bias per output channel, e.g. '1,-1'.  [default: none, or the "
                 "scene's]"),
    click.option("--image", type=click.Path(path_type=str), default=None, metavar="PATH",
                 help="An image (any format Pillow reads) as the input: its R, G, B channels "
                 "sampled down to --image-size cells."),
    click.option("--image-size", type=int, default=24, show_default=True, metavar="N",
                 help="Cells on the image grid's longer side (3 to 64)."),
)

lang_option = click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True,
                           help="Language of labels and text.")

look_options = _compose(
    click.option("--mode", type=click.Choice(MODES), default=MODES[0], show_default=True,
                 help="Numbers in the cells, or shapes only."),
    click.option("--theme", type=click.Choice(THEMES), default=THEMES[0], show_default=True,
                 help="Colour theme."),
    lang_option,
)

output_options = _compose(
    click.option("-q", "--quality", type=click.Choice(QUALITY_CHOICES), default="low",
                 show_default=True, help="Resolution preset (l/m/h/k are short forms)."),
    click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                 help="Output format (png = the last frame).  [default: from the -o file's "
                 "extension, else gif]"),
    click.option("--fps", type=NUMBER, default=None, metavar="FPS",
                 help="Frames per second (up to 50 for a GIF).  [default: the quality's; 12.5 "
                 "for a low-quality GIF]"),
    click.option("--width", type=int, default=None, metavar="PIXELS",
                 help="Width in pixels, 64 to 7680 (e.g. 480 for a post); the height follows "
                 "the 16:9 frame.  [default: the quality's; 854 for a low-quality GIF]"),
    click.option("--step-time", type=NUMBER, default=1.0, show_default=True, metavar="SECONDS",
                 help="Seconds per step of the animation, 0.05 to 10."),
    click.option("-o", "--output", type=click.Path(path_type=str), default=None,
                 help="Output file, a regular file or absent (a name ending in / is a folder "
                 "for the default name).  [default: a name built from the parameters, under "
                 "media/]"),
    click.option("--link-prefix", default="", metavar="URL_OR_PATH",
                 help="Link the printed snippet to URL_OR_PATH + the file's name (where your "
                 "blog serves it, e.g. /assets/conv/) instead of the local path."),
    click.option("--no-cache", is_flag=True, help="Render even if an identical file exists."),
    click.option("--verbose", "-v", is_flag=True, help="Show manim's own log."),
)


_CHANNEL_KEYS = ("in_channels", "out_channels", "groups")


def _scene_channels(opts: dict[str, Any], scene: str | None) -> dict[str, Any]:
    """Channel counts and sizes: as given; for a scene whose default spec has channels, the
    ones not given come from that spec (``convanim render channels`` draws its 3 → 2 example);
    an ``--image`` gives 3 input channels and its own size."""
    given = {k: opts.get(k) for k in _CHANNEL_KEYS}
    sizes = {"input": opts["input_"], "kernel": opts["kernel"], "dims": opts["dims"]}
    if scene is not None:
        from scenes.catalog import scene_entry

        d = scene_entry(scene).defaults.spec
        arrays = opts["values"] is not None or opts["weights"] is not None
        if d.has_channels and not arrays:
            for k in _CHANNEL_KEYS:
                given[k] = getattr(d, k) if given[k] is None else given[k]
            if sizes["input"] is None and sizes["dims"] is None:
                sizes["input"] = d.input_shape
            if sizes["kernel"] is None and sizes["dims"] is None:
                sizes["kernel"] = d.kernel_shape  # type: ignore[assignment]
    out = {k: 1 if v is None else v for k, v in given.items()}
    if opts.get("image") is not None:
        from scenes.images import image_grid, load_image

        rgb = image_grid(load_image(opts["image"]), opts["image_size"])
        out["in_channels"] = 3
        sizes.update(input=tuple(rgb.shape[1:]), dims="2")
        out["rgb"] = rgb
    return out | sizes


#: The options that shape the convolution: given none of them, a scene draws its own example.
_SHAPING = ("dims", "input_", "kernel", "stride", "dilation", "padding", "transposed",
            "output_padding", "flip", *_CHANNEL_KEYS, "image")


def _typed(name: str) -> bool:
    """Whether option ``name`` was given (command line or environment), not left at its
    default."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.get_parameter_source(name) not in (
        None, click.core.ParameterSource.DEFAULT)


def _scene_example(opts: dict[str, Any], scene: str | None) -> P.ParsedConv | None:
    """``scene``'s own example (its catalog spec, as ``manim`` and the gallery draw it) when no
    option shapes the convolution and the arrays given, if any, fit it; else ``None``."""
    if scene is None or any(_typed(n) for n in _SHAPING):
        return None
    from scenes.catalog import scene_entry

    return P.arrays_for(scene_entry(scene).defaults.spec, opts["values"], opts["weights"])


def conv_from_options(opts: dict[str, Any], scene: str | None = None) -> P.ParsedConv:
    """The spec and arrays the conv options give, within the size bound (``scene``: the scene
    whose example applies when no option shapes the convolution, :func:`_scene_example`, and
    whose channel defaults apply otherwise, :func:`_scene_channels`)."""
    from scenes.pipeline.request import check_size

    example = _scene_example(opts, scene)
    if example is not None:
        return example
    ch = _scene_channels(opts, scene)
    conv = P.build_conv(
        dims=int(ch["dims"]) if ch["dims"] is not None else None, input=ch["input"],
        kernel=ch["kernel"], stride=opts["stride"], dilation=opts["dilation"],
        padding=opts["padding"], transposed=opts["transposed"],
        output_padding=opts["output_padding"], flip=opts["flip"], values=opts["values"],
        weights=opts["weights"], names=OPTION_NAMES, in_channels=ch["in_channels"],
        out_channels=ch["out_channels"], groups=ch["groups"],
    )
    check_size(conv.spec)
    if "rgb" in ch:
        return P.ParsedConv(conv.spec, ch["rgb"], conv.w)
    return conv


#: Options a stack of ``--layer`` replaces (each layer gives its own).
_LAYER_EXCLUDES = ("kernel", "stride", "padding", "dilation", "transposed", "output_padding",
                   "flip", "values", "weights", "in_channels", "out_channels", "groups", "bias",
                   "image")


def stack_from_options(opts: dict[str, Any], scene: str) -> Any:
    """The :class:`scenes.stack_inputs.LayerStack` of the ``--layer`` options (``None`` when
    none is given); its input is ``--input`` (default: the scene's, in ``--dims``)."""
    if not opts.get("layers"):
        return None
    from scenes.catalog import SCENES, scene_entry
    from scenes.stack_inputs import LayerStack

    entry = scene_entry(scene)
    if not entry.stacks:
        takes = ", ".join(n for n, e in SCENES.items() if e.stacks)
        raise click.UsageError(f"--layer is invalid for the {scene} scene: only {takes} draws a "
                               "stack of layers")
    ctx = click.get_current_context()
    for name in _LAYER_EXCLUDES:
        if ctx.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT):
            raise click.UsageError(f"{OPTION_NAMES[name]} is invalid with --layer: each "
                                   "--layer gives its own kernel, stride, padding and dilation")
    size = opts["input_"]
    if size is None:
        n = entry.defaults.spec.input_shape[0]
        size = (n, n) if opts["dims"] == "2" else (n,)
    elif opts["dims"] is not None and len(size) != int(opts["dims"]):
        raise click.UsageError(f"--input={'x'.join(map(str, size))} is invalid with "
                               f"--dims {opts['dims']}: give {opts['dims']} sizes")
    try:
        return LayerStack.of(P.parse_layers(list(size), list(opts["layers"])))
    except ConvMathError as exc:
        if exc.param == "layers":
            raise ConvMathError(f"--layer: {exc}", param="layers") from None
        raise


def bias_from_options(opts: dict[str, Any]) -> np.ndarray | None:
    """``--bias`` as a 1D array (``None`` when not given)."""
    if opts.get("bias") is None:
        return None
    text = opts["bias"]
    try:
        arr = P.parse_inline_array(text, param="bias")
    except ValueError as exc:  # ConvMathError included: say it about --bias
        why = str(exc).rpartition("(")[2].rstrip(")") if "(" in str(exc) else ""
        raise ConvMathError(f"bias={text!r} is invalid: give one number per output channel, "
                            f"e.g. 1,-1{f' ({why})' if why else ''}", param="bias") from None
    return arr.ravel() if arr.ndim == 2 and 1 in arr.shape else arr


# --- the one place errors become lines ----------------------------------------------------------


def _fail(message: str, code: int) -> None:
    click.echo(f"Error: {' '.join(str(message).split())}", err=True)
    sys.exit(code)


def _crash(exc: BaseException) -> None:
    """An unexpected error: its traceback goes to a log file, the user gets one line."""
    try:
        from scenes.pipeline.files import new_log

        log = new_log("crash")
        log.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
        where = f"; the details are in {log}"
    except Exception:  # noqa: BLE001 - the report must not fail too
        where = ""
    _fail(f"internal error ({type(exc).__name__}: {exc}){where}", 1)


def _report(exc: BaseException) -> None:
    """Turn a library error into one ``Error:`` line and an exit status."""
    from scenes.gallery.load import GalleryFileError
    from scenes.pipeline.errors import PipelineError, RenderError

    if isinstance(exc, click.UsageError):
        _fail(exc.format_message(), 2)
    if isinstance(exc, click.ClickException):
        _fail(exc.format_message(), exc.exit_code)
    if isinstance(exc, ConvMathError | PipelineError) and not isinstance(exc, RenderError):
        code = getattr(exc, "exit_code", 2)
        _fail(P.spell_error(exc, OPTION_NAMES), code)  # type: ignore[arg-type]
    if isinstance(exc, RenderError):
        _fail(f"{exc}. The log is in {exc.log_path}", 1)
    if isinstance(exc, GalleryFileError):
        _fail(str(exc), 2)
    if isinstance(exc, click.Abort | KeyboardInterrupt):
        interrupted = isinstance(exc, KeyboardInterrupt) or isinstance(
            exc.__cause__, KeyboardInterrupt)
        _fail("interrupted" if interrupted else "aborted", 130 if interrupted else 1)
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        _fail(f"the system refused an operation{where}: {exc.strerror or exc}", 1)
    if isinstance(exc, MemoryError):
        _fail("out of memory: try a smaller input, kernel or --width", 1)
    if isinstance(exc, RecursionError):
        _fail("the input is nested too deeply to read", 2)
    if isinstance(exc, EOFError):
        _fail("unexpected end of input (an empty or truncated file?)", 2)
    _crash(exc)


class _Failure(Exception):
    """Carries an error past click's own handling (click turns ``EOFError`` into "aborted")."""

    def __init__(self, exc: BaseException) -> None:
        super().__init__(str(exc))
        self.exc = exc


class ConvanimGroup(click.Group):
    """A group whose standalone run turns every failure into one ``Error:`` line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EOFError as exc:
            raise _Failure(exc) from exc

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except SystemExit:
            raise
        except _Failure as failure:
            _report(failure.exc)
        except BaseException as exc:  # noqa: BLE001 - every failure ends in one line
            _report(exc)
        sys.exit(rv if isinstance(rv, int) else 0)


@contextlib.contextmanager
def _signals_as_exit() -> Iterator[None]:
    """While rendering, turn SIGTERM, SIGHUP and SIGQUIT into SystemExit, so the render's
    clean-up runs (temporary files, frame folders, logs); the previous handlers come back
    afterwards (the CLI may run inside a longer-lived Python process)."""

    def handler(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    # Python finds its temporary folder on first use by writing and deleting a probe file there;
    # a signal between the two would leave the probe behind. Find it now, before any handler.
    tempfile.gettempdir()
    saved = {}
    for name in _SIGNALS:
        if hasattr(signal, name):
            with contextlib.suppress(ValueError):  # not the main thread: leave them alone
                saved[name] = signal.signal(getattr(signal, name), handler)
    try:
        yield
    finally:
        for name, previous in saved.items():
            signal.signal(getattr(signal, name), previous)


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
  convanim render flip --weights sobel-x -o sobel.png""")
@click.argument("scene", type=click.Choice(SCENE_NAMES), metavar="SCENE")
@conv_options
@look_options
@output_options
@click.option("--layer", "layers", multiple=True, metavar="K[,S[,P[,D]]]",
              help="receptive only: one layer of a stack, bottom first, as kernel[,stride"
              "[,padding[,dilation]]] or keyed (k=3,d=2); repeat it, e.g. --layer 3 --layer "
              "3,2 --layer k=3,d=2. The stack's input is --input.  [default: --kernel, "
              "--stride, --padding, --dilation stacked up to three times]")
@click.option("--math", type=click.Choice(["unicode", "latex"]), default="unicode",
              show_default=True, help="Formulas of the --long-description file: Unicode, or "
              "$…$ LaTeX for KaTeX/MathJax sites.")
@click.option("--long-description", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="FILE.md",
              help="Also write the long description (the 'explain' text: sizes derived, steps "
              "worked, in --lang) to FILE.md, to put under the image.")
@click.option("--frame", type=click.IntRange(0), default=None, metavar="N",
              help="SVG and PDF: the frame to draw.  [default: 0, the preview]")
@click.option("--video-sources", is_flag=True,
              help="Render a WebM and an MP4 of the animation and print one <video> with both "
              "as <source> tags (and the preview frame as its poster).")
@click.option("--both-themes", is_flag=True,
              help="Render the light and the dark theme and print one <picture> snippet that "
              "follows the reader's colour scheme (GIF and PNG).")
def render(scene: str, **opts: Any) -> None:
    """Render SCENE as a GIF, MP4, WebM, PNG, or an SVG or PDF still.

    SCENE is one of the scenes 'convanim list' shows (sliding is A1, matrix A2, connectivity
    A3). Given no option that shapes the convolution (--dims to --groups, --image), a scene
    draws its own example, the same one 'manim' and a gallery entry draw.
    Prints the file's path, size, frames and duration and a Markdown image line with alt text.
    """
    requests = _render_requests(scene, opts)
    with _signals_as_exit():
        infos = [_render_one(scene, request, opts) for request in requests]
    for info, request in zip(infos, requests):
        _warn_if_heavy(info, request)
    if opts["long_description"] is not None:
        _write_long_description(opts["long_description"], requests[0], opts["math"])
    if opts["video_sources"]:
        _print_video_sources(infos, requests, opts["link_prefix"])
    elif len(infos) == 1:
        _print_result(infos[0], requests[0], opts["link_prefix"])
    else:
        _print_picture(infos, requests[0], opts["link_prefix"])


#: The formats of --video-sources, in <source> order (the browser plays the first it can).
VIDEO_SOURCES = ("webm", "mp4")


def _render_requests(scene: str, opts: dict[str, Any]) -> list[Any]:
    """The render's requests: one; or a light and a dark one (--both-themes); or a WebM and
    an MP4 of the same animation (--video-sources)."""
    from scenes.pipeline.request import RenderRequest
    from scenes.pipeline.snippets import is_video

    stack = stack_from_options(opts, scene)
    conv = conv_from_options(opts, scene) if stack is None else P.ParsedConv(stack.spec, None,
                                                                              None)
    bias = bias_from_options(opts)
    themes = THEMES if opts["both_themes"] else (opts["theme"],)
    if opts["video_sources"]:
        if opts["both_themes"] or opts["fmt"] not in (None, *VIDEO_SOURCES):
            raise click.UsageError("--video-sources renders one WebM and one MP4: it goes with "
                                   "neither --both-themes nor another --format")
        jobs = [(opts["theme"], f, _with_suffix(opts["output"], f)) for f in VIDEO_SOURCES]
    else:
        jobs = [(t, opts["fmt"], _themed(opts["output"], t) if len(themes) > 1
                 else opts["output"]) for t in themes]
    requests = [RenderRequest.make(
        scene, None if stack else conv.spec, conv.x, conv.w, stack=stack, output=output,
        fmt=fmt, mode=opts["mode"], theme=theme, lang=opts["lang"], bias=bias,
        step_time=opts["step_time"], quality=opts["quality"], fps=opts["fps"],
        width=opts["width"], frame=opts["frame"],
    ) for theme, fmt, output in jobs]
    if opts["both_themes"] and is_video(requests[0].options.fmt):
        raise click.UsageError("--both-themes makes a <picture> of two GIF or PNG files: a "
                               "video cannot follow the colour scheme")
    return requests


def _with_suffix(output: str | None, fmt: str) -> str | None:
    """With --video-sources: ``-o talk.mp4`` (or ``talk.webm``, or ``talk``) gives ``talk.webm``
    and ``talk.mp4``; folders and default names stay as they are."""
    from scenes.pipeline.writers import WRITERS

    if output is None or output.endswith(("/", "\\")):
        return output
    path = Path(output)
    if WRITERS.for_suffix(path.suffix) is None:  # no video extension: add one
        return str(path.with_name(path.name + WRITERS[fmt].suffix))
    return str(path.with_suffix(WRITERS[fmt].suffix))


def _themed(output: str | None, theme: str) -> str | None:
    """With --both-themes: ``-o a.gif`` for the light render, ``a_dark.gif`` for the dark one
    (default names and folders already tell the themes apart)."""
    if output is None or theme == THEMES[0] or output.endswith(("/", "\\")):
        return output
    path = Path(output)
    return str(path.with_name(f"{path.stem}_{theme}{path.suffix}"))


def _render_one(scene: str, request: Any, opts: dict[str, Any]) -> Any:
    from scenes.pipeline.progress import RenderProgress, dry_run_frames, planned_frames
    from scenes.pipeline.run import render_request

    planned = planned_frames(request)
    with RenderProgress(scene, planned) as progress:
        if progress.terminal and planned is None:  # the first render: a dry run gives the total
            progress.planning()
            progress.plan(dry_run_frames(request, cache=not opts["no_cache"]))
        info = render_request(request, cache=not opts["no_cache"], progress=progress.frames,
                              verbose=opts["verbose"])
    progress.finished(info)
    return info


def _write_long_description(path: Path, request: Any, math: str) -> None:
    """The explain text of the render's convolution to ``path`` (after the render)."""
    from scenes.alt import long_description

    inputs = request.inputs
    if not hasattr(inputs, "x"):
        raise click.UsageError("--long-description explains one convolution: it does not go "
                               "with a stack of layers")
    bias = None if inputs.bias is None else inputs.bias.copy()
    text = long_description(inputs.spec, inputs.x.copy(), inputs.w.copy(),
                            request.options.lang, bias=bias, math=math)
    try:
        path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    except OSError as exc:
        raise click.BadParameter(f"{path} cannot be written ({exc.strerror or exc})",
                                 param_hint="'--long-description'") from None
    click.echo(f"Long description: {path}")


def _warn_if_heavy(info: Any, request: Any) -> None:
    """One line on stderr when a GIF is over :data:`GIF_WARN_BYTES`, naming lighter choices."""
    from scenes.pipeline import options

    if request.options.fmt != "gif" or info.bytes <= options.GIF_WARN_BYTES:
        return
    choices = [] if info.width <= 480 else ["--width 480"]
    choices += [f"--format {f}" for f in ("webp", "mp4") if f in FORMATS]
    click.echo(f"Warning: {info.path.name} is {_human_bytes(info.bytes)}, over "
               f"{options.GIF_WARN_BYTES / 1024:g} KB for a post; lighter: "
               f"{', '.join(choices)}", err=True)


def _human_bytes(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"  # pragma: no cover


def _print_written(info: Any) -> None:
    click.echo(f"{'Reused (cached)' if info.cached else 'Wrote'} {info.path}")
    still = info.frames == 1
    click.echo(
        f"  {_human_bytes(info.bytes)} ({info.bytes:,} bytes), "
        + ("1 frame, " if still else f"{info.frames} frames, {info.duration:.1f} s, ")
        + f"{info.width}×{info.height} px" + ("" if still else f" at {info.fps:g} fps")
    )


def _src(path: Path, prefix: str) -> str:
    """The snippet's link: prefix + the file's name, or the local path without a prefix."""
    return path.name if prefix else path.as_posix()


def _print_result(info: Any, request: Any, prefix: str) -> None:
    from scenes.alt import alt_text
    from scenes.pipeline.snippets import html_snippet, is_video, markdown_snippet

    _print_written(info)
    fmt, src = request.options.fmt, _src(info.path, prefix)
    alt = alt_text(request.scene, request.inputs.spec, request.options.lang)
    if is_video(fmt):  # Markdown has no video syntax: HTML
        poster = None if info.poster is None else _src(info.poster, prefix)
        click.echo(html_snippet(src, alt, fmt, info.width, info.height, prefix=prefix,
                                poster=poster))
    else:
        click.echo(markdown_snippet(src, alt, fmt, prefix=prefix))


def _print_video_sources(infos: list[Any], requests: list[Any], prefix: str) -> None:
    """The files, then one <video> with a <source> per file; its poster is the preview frame of
    the MP4's render."""
    from scenes.alt import alt_text
    from scenes.pipeline.snippets import video_snippet

    for info in infos:
        _print_written(info)
    request, last = requests[0], infos[-1]
    poster = next((i.poster for i in reversed(infos) if i.poster is not None), None)
    alt = alt_text(request.scene, request.inputs.spec, request.options.lang)
    sources = [(_src(i.path, prefix), r.options.fmt) for i, r in zip(infos, requests)]
    click.echo(video_snippet(sources, alt, last.width, last.height, prefix=prefix,
                             poster=None if poster is None else _src(poster, prefix)))


def _print_picture(infos: list[Any], request: Any, prefix: str) -> None:
    from scenes.alt import alt_text
    from scenes.pipeline.snippets import picture_snippet

    for info in infos:
        _print_written(info)
    light, dark = infos
    alt = alt_text(request.scene, request.inputs.spec, request.options.lang)
    click.echo(picture_snippet(_src(light.path, prefix), _src(dark.path, prefix), alt,
                               light.width, light.height, prefix=prefix))


# --- explain -------------------------------------------------------------------------------------


@cli.command(epilog="""\b
Examples:
  convanim explain --input 5 --kernel 3 --stride 2 --padding 1
  convanim explain --dims 1 --input 5 --kernel 2 --values 2,1,0,1,2 --weights 1,-1 --flip
  convanim explain --values '[[1,2,0],[3,4,1],[0,1,2]]' --weights '1 0; 0 -1'
  convanim explain --transposed --input 2 --stride 2 --lang es
  convanim explain --input 5 --stride 2 --padding 1 --math latex""")
@conv_options
@lang_option
@click.option("--max-steps", type=click.IntRange(0), default=None,
              help="Write out at most this many steps.  [default: all]")
@click.option("--math", type=click.Choice(["unicode", "latex"]), default="unicode",
              show_default=True,
              help="Formulas and steps as Unicode inline code, or as $…$ LaTeX for KaTeX and "
              "MathJax sites (Jekyll, Hugo, Quarto, MkDocs).")
def explain(lang: str, max_steps: int | None, math: str, **opts: Any) -> None:
    """Print the size derivation and the worked steps as Markdown (no rendering)."""
    from convmath import explain as explain_md
    from scenes.inputs import ConvInputs

    conv = conv_from_options(opts)
    inputs = ConvInputs.make(conv.spec, conv.x, conv.w, bias=bias_from_options(opts))
    bias = None if inputs.bias is None else inputs.bias.copy()
    click.echo(explain_md(inputs.x.copy(), inputs.w.copy(), conv.spec, lang, max_steps,
                          bias=bias, math=math).rstrip("\n"))


# --- list ----------------------------------------------------------------------------------------


@cli.command(name="list")
@lang_option
def list_(lang: str) -> None:
    """List the scenes and the kernel presets (with their matrices)."""
    from convmath import format_number
    from convmath.explain import common_factor
    from scenes.wording import text

    click.echo(text("list_scenes", lang))
    width = max(len(n) for n in SCENES)
    for name, entry in SCENES.items():
        click.echo(f"  {name:<{width}}  {entry.description(lang)}")
    click.echo("")
    click.echo(text("list_presets", lang))
    for name, arr in KERNEL_PRESETS.items():
        factor = common_factor(arr)  # fractions exactly: box-blur = 1/9 × (1 … 1)
        shown = arr if factor is None else np.rint(arr * factor.denominator)
        cells = [[format_number(v) for v in row] for row in np.atleast_2d(shown)]
        cw = max(len(c) for row in cells for c in row)
        times = "" if factor is None else f" = {factor} ×"
        click.echo(f"  {name} ({'x'.join(str(v) for v in arr.shape)}){times}")
        for row in cells:
            click.echo("    " + "  ".join(f"{c:>{cw}}" for c in row))


# --- gallery -------------------------------------------------------------------------------------


@cli.command(epilog="""\b
Examples:
  convanim gallery --preset arithmetic
  convanim gallery --preset post --lang en -o media/post-en
  convanim gallery my-post.toml --jobs 2 --link-prefix /assets/conv/
  convanim gallery --preset arithmetic --show > my-gallery.toml   (a file to copy and edit)

\b
A gallery file (TOML): shared [defaults], then one [[entry]] per animation with the
options of 'convanim render' (input, kernel, stride, padding, dilation, transposed,
output-padding, flip, values, weights, dims, mode, theme, lang, quality, format, fps,
width, step-time) plus name, scene and an optional caption. Value files resolve
relative to the gallery file and must be inside its folder (see --allow-outside):

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
@click.option("--lang", type=click.Choice(LANGS), default=None,
              help="Override every entry's language.")
@click.option("--theme", type=click.Choice(THEMES), default=None,
              help="Override every entry's theme.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Override every entry's format.")
@click.option("--link-prefix", default="", metavar="URL_OR_PATH",
              help="Put this before the file names in the page's snippets (where your blog "
              "serves them, e.g. /assets/conv/).")
@click.option("--allow-outside", is_flag=True,
              help="Let value files named in FILE lie outside FILE's folder.")
@click.option("--no-cache", is_flag=True, help="Render every entry even if its file is current.")
@click.option("--show", is_flag=True, help="Print the gallery file (e.g. a preset) and exit.")
@click.pass_context
def gallery(ctx: click.Context, file: Path | None, preset: str | None, output: Path | None,
            jobs: int | None, lang: str | None, theme: str | None, fmt: str | None,
            link_prefix: str, allow_outside: bool, no_cache: bool, show: bool) -> None:
    """Render every animation listed in a TOML FILE (or a --preset) in parallel, then write
    index.html and index.md to browse them and copy Markdown/HTML snippets with alt text.

    Presets: arithmetic (the convolution-arithmetic set: direct, transposed and dilated
    configurations as A1 animations), post (the animations of the post on convolution
    parameters, in Spanish).
    """
    from scenes import gallery as gal
    from scenes.pipeline.progress import GalleryProgress
    from scenes.pipeline.request import prepare_folder

    if (file is None) == (preset is None):
        raise click.UsageError("give either a gallery FILE or --preset NAME (one of them)")
    path = gal.preset_path(preset) if preset else file
    assert path is not None
    if show:
        click.echo(path.read_text(encoding="utf-8").rstrip("\n"))
        return
    overrides = {k: v for k, v in (("lang", lang), ("theme", theme), ("format", fmt)) if v}
    title, entries = gal.load_gallery(path, overrides, allow_outside=allow_outside)
    # Overrides get their own default folder, so `--lang en` does not replace the Spanish set.
    suffix = "".join(f"-{v}" for v in (lang, theme, fmt) if v)
    out_dir = output or Path("media") / "gallery" / f"{preset or path.stem}{suffix}"
    prepare_folder(out_dir, "output")
    started = time.monotonic()
    with _signals_as_exit(), GalleryProgress(len(entries)) as progress:
        results = gal.run_gallery(entries, out_dir, jobs=jobs, cache=not no_cache,
                                  on_result=progress.entry)
    page_lang = lang or entries[0].lang
    pages = gal.write_index(results, out_dir, title=title, lang=page_lang,
                            link_prefix=link_prefix)
    _print_gallery(results, time.monotonic() - started, jobs or gal.default_jobs(), pages)
    if any(not r.ok for r in results):
        ctx.exit(1)


def _print_gallery(results: list[Any], wall: float, jobs: int, pages: tuple[Path, Path]
                   ) -> None:
    failed = [r for r in results if not r.ok]
    for r in results:
        if r.ok:
            state = "cached  " if r.cached else "rendered"
            click.echo(f"  {state} {r.entry.filename:<44} {r.bytes:>10,} bytes  {r.seconds:6.1f} s")
        else:
            click.echo(f"  FAILED   {r.entry.filename}")
    n_cached = sum(r.cached for r in results if r.ok)
    click.echo(f"{len(results) - len(failed)} of {len(results)} ready ({n_cached} from the "
               f"cache) in {wall:.1f} s with {jobs} worker(s)")
    click.echo(f"Page: {pages[0]}")
    click.echo(f"Markdown: {pages[1]}")
    if failed:
        click.echo(f"{len(failed)} failed:", err=True)
        for r in failed:
            where = f" (log: {r.log_path})" if r.log_path else ""
            click.echo(f"  {r.entry.name}: {' '.join(str(r.error).split())}{where}", err=True)


def main() -> None:
    """Console-script entry point (``convanim``)."""
    cli(prog_name="convanim")


if __name__ == "__main__":
    main()
