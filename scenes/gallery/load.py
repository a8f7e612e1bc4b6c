"""`load_gallery`: a gallery TOML file into checked :class:`GalleryEntry` objects.

Every value is checked by the same parsers and validator as the command line's options
(:mod:`convmath.parse`, :class:`scenes.pipeline.options.RenderOptions`,
:func:`scenes.pipeline.request.check_size`), at load time, so a bad entry stops the gallery
before anything renders and names the file, the entry and the key. Array files named in the
gallery resolve relative to the gallery file and must lie inside its folder unless
``allow_outside``; no message ever quotes a file's contents.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from convmath import ConvMathError
from convmath.parse import (
    DILATION_ALLOWED,
    LAYER_ALLOWED,
    OUTPUT_PADDING_ALLOWED,
    SIZE_ALLOWED,
    STRIDE_ALLOWED,
    ArraySource,
    build_conv,
    parse_array_source,
    parse_inline_array,
    parse_layer,
    parse_padding,
    parse_per_axis,
    spell_error,
)
from scenes.catalog import SCENE_NAMES
from scenes.gallery.model import GalleryEntry
from scenes.pipeline.options import FORMATS, LANGS, MODES, QUALITY_CHOICES, THEMES, RenderOptions
from scenes.pipeline.request import check_size
from scenes.stack_inputs import LayerStack

__all__ = ["load_gallery", "GalleryFileError", "ENTRY_KEYS", "KEY_NAMES", "MAX_GALLERY_BYTES"]

#: Keys of a gallery entry (and of [defaults]): the render options, spelled as on the command line.
ENTRY_KEYS = (
    "name", "scene", "caption", "dims", "input", "kernel", "stride", "dilation", "padding",
    "transposed", "output-padding", "flip", "values", "weights", "mode", "theme", "lang",
    "quality", "format", "fps", "width", "step-time",
    "in-channels", "out-channels", "groups", "bias", "image", "image-size",  # issue 18
    "layers",  # issue 17: a stack of layers (receptive)
)
#: How messages spell the library's parameter names in a gallery file (its keys).
KEY_NAMES = {
    "input": "input", "input_shape": "input", "kernel": "kernel", "kernel_shape": "kernel",
    "output_padding": "output-padding", "step_time": "step-time", "fmt": "format",
    "x": "values", "w": "weights", "values": "values", "weights": "weights", "dims": "dims",
    "padding": "padding", "transposed": "transposed", "stride": "stride",
    "dilation": "dilation", "in_channels": "in-channels", "out_channels": "out-channels",
    "groups": "groups", "bias": "bias", "image": "image", "image_size": "image-size",
    "layers": "layers",
}
#: The largest gallery file read.
MAX_GALLERY_BYTES = 1_000_000
_CHOICES: dict[str, tuple[Any, ...]] = {
    "mode": MODES, "theme": THEMES, "lang": LANGS, "quality": QUALITY_CHOICES,
    "format": FORMATS, "dims": (1, 2), "scene": SCENE_NAMES,
}
_PER_AXIS = {"input": (1, SIZE_ALLOWED), "kernel": (1, SIZE_ALLOWED),
             "stride": (1, STRIDE_ALLOWED), "dilation": (1, DILATION_ALLOWED),
             "output-padding": (0, OUTPUT_PADDING_ALLOWED)}
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,80}")
_SHOWN_KEYS = ("input", "kernel", "stride", "padding", "dilation", "transposed",
               "output-padding", "flip", "values", "weights", "dims", "in-channels",
               "out-channels", "groups", "bias", "image", "layers")


#: Keys ``layers`` replaces (each layer gives its own).
_STACK_EXCLUDES = ("kernel", "stride", "dilation", "padding", "transposed", "output-padding",
                   "flip", "values", "weights", "in-channels", "out-channels", "groups", "bias",
                   "image")


class GalleryFileError(ValueError):
    """A gallery file that cannot be used; the message names the file, the entry and the key."""

    exit_code = 2


def _not_allowed(value: Any, allowed: str) -> ConvMathError:
    shown = repr(value) if isinstance(value, str) else str(value)
    return ConvMathError(f"{shown} is not allowed: {allowed}")


def _text_by_lang(value: Any, what: str) -> str | dict[str, str]:
    """A string, or a table of strings by language (``{en = "…", es = "…"}``)."""
    if isinstance(value, str):
        return value
    if (isinstance(value, dict) and value and set(value) <= set(LANGS)
            and all(isinstance(v, str) for v in value.values())):
        return dict(value)
    raise _not_allowed(value, f"{what} is a string, or a table of strings by language like "
                       "{en = \"…\", es = \"…\"}")


def _number(value: Any, integer: bool) -> Any:
    ok = isinstance(value, int) if integer else isinstance(value, int | float)
    if isinstance(value, bool) or not ok:
        raise _not_allowed(value, "write an integer (pixels)" if integer else "write a number")
    return value


def _entry_value(key: str, value: Any, root: Path, allow_outside: bool) -> Any:
    """Parse one key's value; :class:`ConvMathError` for a bad one."""
    if key in _PER_AXIS:
        minimum, allowed = _PER_AXIS[key]
        return parse_per_axis(value, minimum=minimum, allowed=allowed, param=key)
    if key == "padding":
        return parse_padding(value)
    if key in ("values", "weights"):
        return parse_array_source(value, presets=key == "weights", param=key, root=root,
                                  allow_outside=allow_outside)
    if key in ("transposed", "flip"):
        if not isinstance(value, bool):
            raise _not_allowed(value, "write true or false")
        return value
    if key in _CHOICES:
        if isinstance(value, bool) or value not in _CHOICES[key]:
            raise _not_allowed(value, f"use one of {', '.join(str(c) for c in _CHOICES[key])}")
        return value
    if key == "name":
        if not isinstance(value, str) or not _NAME_RE.fullmatch(value):
            raise _not_allowed(value, "a name is letters, digits, '_', '-' or '.', used as the "
                               "file name")
        return value
    if key == "caption":
        return _text_by_lang(value, "a caption")
    if key in ("in-channels", "out-channels", "groups", "image-size"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise _not_allowed(value, "write an integer >= 1")
        return value
    if key == "bias":
        return _bias_value(value)
    if key == "layers":
        if not isinstance(value, list) or not value:
            raise _not_allowed(value, f"write a list of layers, bottom first: {LAYER_ALLOWED}")
        return [parse_layer(layer, index=n) for n, layer in enumerate(value)]
    if key == "image":
        if not isinstance(value, str):
            raise _not_allowed(value, "write the image's path (relative to the gallery file)")
        path = (root / value).resolve()
        if not allow_outside and not path.is_relative_to(root):
            raise _not_allowed(value, "the image must be in the gallery file's folder "
                               "(--allow-outside lifts this)")
        return str(path)
    return _number(value, integer=key == "width")  # fps, width, step-time: ranges below


def _bias_value(value: Any) -> np.ndarray:
    """A bias: a TOML array of numbers, or a string like ``"1,-1"``."""
    if isinstance(value, str):
        try:
            return parse_inline_array(value, param="bias").ravel()
        except ValueError:
            raise _not_allowed(value, "write one number per output channel, e.g. [1, -1]"
                               ) from None
    if (isinstance(value, list) and value and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value)):
        return np.array(value, dtype=float)
    raise _not_allowed(value, "write one number per output channel, e.g. [1, -1]")


def _in_lang(value: str | dict[str, str] | None, lang: str) -> str:
    if value is None or isinstance(value, str):
        return value or ""
    return value.get(lang) or value.get("en") or next(iter(value.values()))


def _show_layer(layer: dict[str, Any]) -> str:
    """One parsed layer as typed: ``3``, ``3,2``, ``3,1,0,2`` (trailing defaults left out)."""
    defaults = (None, 1, 0, 1)
    fields = [layer.get("kernel"), layer.get("stride", 1), layer.get("padding", 0),
              layer.get("dilation", 1)]

    def is_default(value: Any, default: Any) -> bool:
        flat = value if isinstance(value, tuple) else (value,)
        return all(v == default for v in flat)

    while len(fields) > 1 and is_default(fields[-1], defaults[len(fields) - 1]):
        fields.pop()
    return ",".join(_show_param(f) for f in fields)


def _show_param(value: Any) -> str:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return " · ".join(_show_layer(v) for v in value)
    if isinstance(value, ArraySource):
        return value.label
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        if value and isinstance(value[0], tuple):
            return ",".join(f"{a}:{b}" for a, b in value)
        return "x".join(str(v) for v in value)
    return str(value)


def _read(path: Path) -> dict[str, Any]:
    where = str(path)
    try:
        if path.stat().st_size > MAX_GALLERY_BYTES:
            raise GalleryFileError(f"{where}: too large (more than {MAX_GALLERY_BYTES:,} bytes)")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GalleryFileError(f"{where}: file not found") from None
    except OSError as exc:
        raise GalleryFileError(f"{where}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark (Windows editors) is fine
    except UnicodeDecodeError as exc:
        raise GalleryFileError(f"{where}: not UTF-8 text (byte {exc.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GalleryFileError(f"{where}: not valid TOML ({exc})") from None
    except RecursionError:
        raise GalleryFileError(f"{where}: not valid TOML (arrays or tables nested too "
                               "deeply)") from None


def _top_level(data: dict[str, Any], where: str) -> tuple[Any, dict[str, Any], list[Any]]:
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
        except ConvMathError as exc:
            raise GalleryFileError(f"{where}: key 'title': {exc}") from None
    defaults, entries = data.get("defaults", {}), data.get("entry", [])
    if not isinstance(defaults, dict):
        raise GalleryFileError(f"{where}: [defaults] must be a table")
    if isinstance(entries, dict):
        raise GalleryFileError(f"{where}: 'entry' is a single table: write [[entry]] (two "
                               "brackets) before each animation")
    if not isinstance(entries, list) or not entries:
        raise GalleryFileError(f"{where}: no entries: add [[entry]] tables with a name and a "
                               "scene")
    return title, defaults, entries


class _Loader:
    """Parses one file's tables; every message starts with the file's name."""

    def __init__(self, path: Path, allow_outside: bool) -> None:
        self.where = str(path)
        self.root = path.resolve().parent
        self.allow_outside = allow_outside

    def table(self, table: dict[str, Any], label: str) -> dict[str, Any]:
        out = {}
        for key, value in table.items():
            canon = key.replace("_", "-")
            if canon not in ENTRY_KEYS:
                raise GalleryFileError(f"{self.where}: {label}: unknown key {key!r}: allowed "
                                       f"keys are {', '.join(ENTRY_KEYS)}")
            try:
                out[canon] = _entry_value(canon, value, self.root, self.allow_outside)
            except ConvMathError as exc:
                raise GalleryFileError(f"{self.where}: {label}: key {key!r}: {exc}") from None
        return out

    def _channels(self, opts: dict[str, Any]) -> tuple[dict[str, Any], np.ndarray | None]:
        """Sizes and channel counts: as written; a scene whose default spec has channels keeps
        its own unless written (as on the command line); ``image`` gives 3 input channels."""
        from scenes.catalog import scene_entry

        ch: dict[str, Any] = {"dims": opts.get("dims"), "input": opts.get("input"),
                              "kernel": opts.get("kernel")}
        for key in ("in-channels", "out-channels", "groups"):
            ch[key.replace("-", "_")] = opts.get(key)
        d = scene_entry(opts["scene"]).defaults.spec
        if d.has_channels and "values" not in opts and "weights" not in opts:
            for k in ("in_channels", "out_channels", "groups"):
                ch[k] = getattr(d, k) if ch[k] is None else ch[k]
            if ch["dims"] is None:
                ch["input"] = d.input_shape if ch["input"] is None else ch["input"]
                ch["kernel"] = d.kernel_shape if ch["kernel"] is None else ch["kernel"]
        rgb = None
        if "image" in opts:
            from scenes.images import image_grid, load_image

            rgb = image_grid(load_image(opts["image"]), opts.get("image-size", 24))
            ch.update(in_channels=3, input=tuple(rgb.shape[1:]), dims=2)
        return {k: (1 if v is None and k in ("in_channels", "out_channels", "groups") else v)
                for k, v in ch.items()}, rgb

    def _stack(self, opts: dict[str, Any], label: str) -> LayerStack | None:
        """The entry's ``layers`` as a stack on its ``input`` (the scene's default size, in
        ``dims``, when not written); ``None`` without ``layers``."""
        if "layers" not in opts:
            return None
        from scenes.catalog import SCENES, scene_entry

        entry = scene_entry(opts["scene"])
        if not entry.stacks:
            takes = ", ".join(n for n, e in SCENES.items() if e.stacks)
            raise GalleryFileError(f"{self.where}: {label}: key 'layers' is invalid for the "
                                   f"{opts['scene']} scene: only {takes} draws a stack")
        clash = [k for k in _STACK_EXCLUDES if k in opts]
        if clash:
            raise GalleryFileError(f"{self.where}: {label}: key {clash[0]!r} is invalid with "
                                   "'layers': each layer gives its own kernel, stride, padding "
                                   "and dilation")
        size = opts.get("input")
        if size is None:
            n = entry.defaults.spec.input_shape[0]
            size = (n, n) if opts.get("dims") == 2 else (n,)
        return LayerStack.make(size, opts["layers"])

    def entry(self, opts: dict[str, Any], label: str) -> GalleryEntry:
        try:
            stack = self._stack(opts, label)
        except ConvMathError as exc:
            raise GalleryFileError(f"{self.where}: {label}: key 'layers': {exc}") from None
        shown = {k: _show_param(opts[k]) for k in _SHOWN_KEYS if k in opts}
        if stack is not None:
            opts = {**opts, "input": stack.spec.input_shape, "kernel": stack.spec.kernel_shape,
                    "dims": stack.spec.ndim}
        try:
            ch, rgb = self._channels(opts)
            conv = build_conv(
                dims=ch["dims"], input=ch["input"], kernel=ch["kernel"],
                stride=opts.get("stride", (1,)), dilation=opts.get("dilation", (1,)),
                padding=opts.get("padding", (0,)), transposed=opts.get("transposed", False),
                output_padding=opts.get("output-padding"), flip=opts.get("flip", False),
                values=opts.get("values"), weights=opts.get("weights"), names=KEY_NAMES,
                in_channels=ch["in_channels"], out_channels=ch["out_channels"],
                groups=ch["groups"],
            )
            if stack is not None:
                conv = type(conv)(stack.spec, None, None)
            check_size(conv.spec)
            bias = opts.get("bias")
            if bias is not None and bias.shape != (conv.spec.out_channels,):
                raise ConvMathError(
                    f"bias has {bias.size} values, which is invalid: out-channels is "
                    f"{conv.spec.out_channels} (one bias each)", param="bias")
            options = RenderOptions(
                mode=opts.get("mode", "numeric"), theme=opts.get("theme", "light"),
                lang=opts.get("lang", "en"), step_time=opts.get("step-time", 1.0),
                fmt=opts.get("format", "gif"), quality=opts.get("quality", "low"),
                fps=opts.get("fps"), width=opts.get("width"),
            )
        except ConvMathError as exc:
            raise GalleryFileError(f"{self.where}: {label}: {spell_error(exc, KEY_NAMES)}"
                                   ) from None
        return GalleryEntry(
            name=opts["name"], scene=opts["scene"], spec=conv.spec,
            x=conv.x if rgb is None else rgb, w=conv.w, bias=bias,
            options=options, params=shown,
            caption=_in_lang(opts.get("caption"), options.lang), stack=stack,
        )


def load_gallery(path: Path, overrides: dict[str, Any] | None = None, *,
                 allow_outside: bool = False) -> tuple[str | None, list[GalleryEntry]]:
    """Read a gallery TOML file into ``(title, [GalleryEntry, ...])``.

    ``overrides`` (e.g. ``{"lang": "es"}``) replace the file's values for every entry.
    ``allow_outside`` lets ``values``/``weights`` name files outside the gallery file's folder.

    Raises
    ------
    GalleryFileError
        Naming the file, the entry (number and name) and the key.
    """
    path = Path(path)
    loader = _Loader(path, allow_outside)
    title, defaults, raw_entries = _top_level(_read(path), loader.where)
    base = loader.table(defaults, "[defaults]")
    if "name" in base:
        raise GalleryFileError(f"{loader.where}: [defaults]: key 'name' belongs in each entry")
    extra = loader.table(overrides or {}, "options")
    entries: list[GalleryEntry] = []
    for n, table in enumerate(raw_entries, start=1):
        if not isinstance(table, dict):
            raise GalleryFileError(f"{loader.where}: entry {n}: must be a table ([[entry]])")
        own = loader.table(table, f"entry {n}")
        label = f"entry {n} ({own['name']!r})" if "name" in own else f"entry {n}"
        opts = {**base, **own, **extra}
        for key in ("name", "scene"):
            if key not in opts:
                raise GalleryFileError(f"{loader.where}: {label}: key {key!r} is missing")
        if any(e.name == opts["name"] for e in entries):
            raise GalleryFileError(f"{loader.where}: {label}: name {opts['name']!r} is used "
                                   "twice")
        entries.append(loader.entry(opts, label))
    page_lang = extra.get("lang") or base.get("lang") or entries[0].lang
    return (_in_lang(title, page_lang) or None) if title is not None else None, entries
