"""`render`: one scene and one configuration to one file, cached and written atomically.

This is the Python API behind ``convanim render`` and ``convanim gallery``; notebooks and scripts
call it directly::

    import scenes
    from convmath import ConvSpec
    path = scenes.render("sliding", ConvSpec((5, 5), 3, stride=2, padding=1), fmt="gif")

What it guarantees:

* **Cache.** Next to the output it keeps a hidden sidecar ``.<name>.json`` holding a digest of
  every input that changes the pixels (scene, spec, arrays, options, the convanim and manim
  versions and a digest of the convanim sources). An identical request returns the existing file
  at once; ``cache=False`` forces a render.
* **Atomic output.** Frames are encoded into a unique hidden temporary file in the destination
  folder, which replaces the output with :func:`os.replace` only once it is complete: a failed or
  interrupted render never leaves a partial file and never damages an existing one.
* **No collisions.** Renders of the same output take a per-output lock (the second one then finds
  the first one's result in the cache); renders of different outputs run freely in parallel.

manim is imported only when a render actually runs (by :mod:`scenes.output` and the scene
module), so importing this module is cheap.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import json
import os
import sys
import tempfile
import traceback
import types
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from convmath import KERNEL_PRESETS, ConvMathError, ConvSpec, default_arrays
from convmath.i18n import check_lang
from scenes.catalog import load_scene_class, scene_entry
from scenes.info import RenderInfo
from scenes.inputs import ConvInputs, SceneDefaults

__all__ = [
    "render",
    "render_info",
    "check_legible",
    "check_size",
    "prepare_folder",
    "MAX_GRID_CELLS",
    "RenderError",
    "RenderInfo",
    "FORMATS",
    "QUALITY_NAMES",
    "QUALITY_ALIASES",
    "DEFAULT_QUALITY",
    "resolve_arrays",
    "default_output_path",
    "values_tag",
    "cache_key",
    "read_info",
]

FORMATS: tuple[str, ...] = ("gif", "mp4", "webm", "png")
QUALITY_NAMES: tuple[str, ...] = ("low", "medium", "high", "4k")
QUALITY_ALIASES: dict[str, str] = {"l": "low", "m": "medium", "h": "high", "k": "4k"}
DEFAULT_QUALITY = "low"
MODES: tuple[str, ...] = ("numeric", "schematic")
THEMES: tuple[str, ...] = ("light", "dark")
MEDIA_DIR = Path("media")
_SIDECAR_VERSION = 1


class RenderError(RuntimeError):
    """A render failed inside manim or the encoder.

    Attributes
    ----------
    log_path : pathlib.Path
        The file holding manim's log and the traceback.
    """

    def __init__(self, message: str, log_path: Path) -> None:
        super().__init__(message)
        self.log_path = log_path


# --- inputs --------------------------------------------------------------------------------------


def resolve_arrays(
    spec: ConvSpec, x: ArrayLike | None = None, w: ArrayLike | None = None,
    *, scene: str | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The input and kernel values to draw: the given arrays, checked, or the defaults.

    ``None`` means the defaults of ``scene`` in the catalog (its kernel preset and seed,
    :attr:`scenes.catalog.SceneEntry.defaults`), exactly what the plain ``manim`` command draws
    for that scene; with no ``scene``, seed 0 and the sobel-x kernel when the kernel is 3×3
    (:func:`convmath.default_arrays`), as ``explain`` uses.

    Raises
    ------
    ConvMathError
        When an array's shape disagrees with the spec or it holds non-finite values.
    """
    inputs = _inputs(spec, x, w, scene)
    return inputs.x.copy(), inputs.w.copy()


def _inputs(spec: ConvSpec, x: ArrayLike | None, w: ArrayLike | None, scene: str | None
            ) -> ConvInputs:
    defaults = None if scene is None else scene_entry(scene).defaults
    return ConvInputs.make(spec, x, w, defaults=defaults)


#: No scene draws, and ``explain`` writes out, more cells than this in any one grid (input, drawn
#: grid, kernel, output): a guard against runaway memory and time, checked before any array is
#: made. The scenes' own, smaller legibility limits are their ``check_spec`` methods.
MAX_GRID_CELLS = 10_000


def check_size(spec: ConvSpec) -> None:
    """Raise :class:`ConvMathError` when a grid of ``spec`` exceeds :data:`MAX_GRID_CELLS`."""
    grids = (
        ("input_shape", spec.input_shape),
        ("kernel_shape", spec.kernel_shape),
        ("output_shape", spec.output_shape),
        ("grid_shape", spec.grid_shape),
    )
    for name, shape in grids:
        cells = int(np.prod(shape))
        if cells > MAX_GRID_CELLS:
            shown = "×".join(str(v) for v in shape)  # type: ignore[union-attr]
            raise ConvMathError(
                f"{name}={shown} is too large: it has {cells} cells and convanim draws and "
                f"explains at most {MAX_GRID_CELLS} cells per grid (e.g. 100×100)"
            )


def _canonical_quality(quality: str) -> str:
    q = QUALITY_ALIASES.get(quality, quality)
    if q not in QUALITY_NAMES:
        allowed = ", ".join([*QUALITY_NAMES, *QUALITY_ALIASES])
        raise ConvMathError(f"quality={quality!r} is invalid: quality must be one of {allowed}")
    return q


def _check_choice(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ConvMathError(
            f"{name}={value!r} is invalid: {name} must be one of {', '.join(allowed)}"
        )


def _check_options(options: dict[str, Any]) -> None:
    _check_choice("mode", options["mode"], MODES)
    _check_choice("theme", options["theme"], THEMES)
    _check_choice("fmt", options["fmt"], FORMATS)
    check_lang(options["lang"])
    st = options["step_time"]
    if isinstance(st, bool) or not isinstance(st, int | float) or not 0.05 <= st <= 10:
        raise ConvMathError(f"step_time={st!r} is invalid: step_time must be between 0.05 and 10")
    fps, width = options["fps"], options["width"]
    if fps is not None and (isinstance(fps, bool) or not isinstance(fps, int | float)):
        raise ConvMathError(f"fps={fps!r} is invalid: fps must be a number")
    if width is not None and (isinstance(width, bool) or not isinstance(width, int)):
        raise ConvMathError(f"width={width!r} is invalid: width must be an integer (pixels)")
    # The ranges are checked by scenes.output.output_geometry when a render runs.


# --- naming --------------------------------------------------------------------------------------


def _axes(values: tuple[int, ...]) -> str:
    return str(values[0]) if len(set(values)) == 1 else "x".join(str(v) for v in values)


def _padding_part(spec: ConvSpec) -> str:
    if spec.padding_mode is not None:
        return spec.padding_mode
    pads = spec.pads
    if all(b == a for b, a in pads):
        return _axes(tuple(b for b, _ in pads))
    return "x".join(f"{b}-{a}" for b, a in pads)


def _digest(arr: NDArray[np.float64]) -> str:
    h = hashlib.sha256(repr(arr.shape).encode())
    h.update(np.ascontiguousarray(arr, dtype=np.float64).tobytes())
    return h.hexdigest()[:6]


def values_tag(spec: ConvSpec, x: ArrayLike | None, w: ArrayLike | None,
               defaults: SceneDefaults | None = None) -> str | None:
    """The file-name part for explicit values: ``None`` for the defaults (of ``defaults``, or
    seed 0 and sobel-x), a kernel preset's name (``sobel-x``), else short digests (``x3fa2c1``,
    ``w09b7e4``)."""
    if defaults is None:
        dx, dw = default_arrays(spec.input_shape, spec.kernel_shape)  # type: ignore[arg-type]
    else:
        dx, dw = defaults.arrays(spec)
    parts = []
    if x is not None and not np.array_equal(np.asarray(x, dtype=float), dx):
        parts.append("x" + _digest(np.asarray(x, dtype=float)))
    if w is not None and not np.array_equal(np.asarray(w, dtype=float), dw):
        wa = np.asarray(w, dtype=float)
        preset = next((n for n, k in KERNEL_PRESETS.items()
                       if k.shape == wa.shape and np.array_equal(k, wa)), None)
        parts.append(preset or "w" + _digest(wa))
    return "_".join(parts) or None


def default_output_path(
    scene: str,
    spec: ConvSpec,
    *,
    fmt: str = "gif",
    mode: str = "numeric",
    theme: str = "light",
    lang: str = "en",
    values_tag: str | None = None,
    directory: Path = MEDIA_DIR,
) -> Path:
    """A readable file name under ``directory`` built from the scene and the parameters.

    ``media/sliding_i5_k3_s2_p1.gif`` for the 2D 5×5 input, 3×3 kernel, stride 2, padding 1;
    non-default dimensions, dilation, transposition, output padding, flip, mode, theme and language
    add parts (``_1d``, ``_d2``, ``_tr``, ``_op1``, ``_flip``, ``_schematic``, ``_dark``, ``_es``)
    and ``values_tag`` (see :func:`values_tag`) is appended last.
    """
    parts = [scene_entry(scene).name]
    if spec.ndim == 1:
        parts.append("1d")
    parts += [
        f"i{_axes(spec.input_shape)}",
        f"k{_axes(spec.kernel_shape)}",  # type: ignore[arg-type]
        f"s{_axes(spec.stride)}",  # type: ignore[arg-type]
        f"p{_padding_part(spec)}",
    ]
    if any(d > 1 for d in spec.dilation):  # type: ignore[union-attr]
        parts.append(f"d{_axes(spec.dilation)}")  # type: ignore[arg-type]
    if spec.transposed:
        parts.append("tr")
    if any(spec.output_padding):  # type: ignore[arg-type]
        parts.append(f"op{_axes(spec.output_padding)}")  # type: ignore[arg-type]
    if spec.flip:
        parts.append("flip")
    if mode != "numeric":
        parts.append(mode)
    if theme != "light":
        parts.append(theme)
    if lang != "en":
        parts.append(lang)
    if values_tag:
        parts.append(values_tag)
    return Path(directory) / ("_".join(parts) + "." + fmt)


# --- cache ---------------------------------------------------------------------------------------


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


#: scenes/ modules that never change a picture (they name, cache and list files).
_NOT_DRAWING = frozenset({"__init__.py", "catalog.py", "inputs.py", "render.py", "gallery.py"})
_SOURCE_DIGESTS: dict[str, str] = {}


def _source_digest(scene: str) -> str:
    """A digest of the convanim sources that draw ``scene``: the engine, the shared scene kit
    and encoders, and the scene's own module (not the other scenes), so editing a scene
    invalidates its cached files and only its own."""
    if scene not in _SOURCE_DIGESTS:
        from scenes.catalog import SCENES

        own = SCENES[scene].module.rsplit(".", 1)[-1] + ".py"
        others = {e.module.rsplit(".", 1)[-1] + ".py" for e in SCENES.values()} - {own}
        root = Path(__file__).resolve().parent.parent
        h = hashlib.sha256()
        for pkg, skip in (("convmath", frozenset()), ("scenes", _NOT_DRAWING | others)):
            for path in sorted((root / pkg).glob("*.py")):
                if path.name not in skip:
                    h.update(f"{pkg}/{path.name}".encode())
                    h.update(path.read_bytes())
        _SOURCE_DIGESTS[scene] = h.hexdigest()[:16]
    return _SOURCE_DIGESTS[scene]


def _spec_dict(spec: ConvSpec) -> dict[str, Any]:
    return {
        "input_shape": list(spec.input_shape),
        "kernel_shape": list(spec.kernel_shape),  # type: ignore[arg-type]
        "stride": list(spec.stride),  # type: ignore[arg-type]
        "padding": spec.padding if isinstance(spec.padding, str) else [list(p) for p in spec.pads],
        "dilation": list(spec.dilation),  # type: ignore[arg-type]
        "transposed": spec.transposed,
        "output_padding": list(spec.output_padding),  # type: ignore[arg-type]
        "flip": spec.flip,
    }


def cache_key(
    scene: str, spec: ConvSpec, x: NDArray[np.float64], w: NDArray[np.float64],
    options: dict[str, Any],
) -> str:
    """The digest of every input that changes the pixels of a render."""
    request = {
        "scene": scene,
        "spec": _spec_dict(spec),
        "x": np.asarray(x, dtype=float).tolist(),
        "w": np.asarray(w, dtype=float).tolist(),
        "options": options,
        "convanim": _version("convanim"),
        "manim": _version("manim"),
        "sources": _source_digest(scene),
    }
    blob = json.dumps(request, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def _sidecar(path: Path) -> Path:
    return path.with_name(f".{path.name}.json")


def read_info(path: str | os.PathLike[str]) -> RenderInfo | None:
    """The measurements recorded for an output written by :func:`render`, or ``None``.

    ``None`` also when the file is missing or no longer matches its record.
    """
    path = Path(path)
    try:
        data = json.loads(_sidecar(path).read_text())
        size = path.stat().st_size
    except (OSError, ValueError):
        return None
    info = data.get("info") if isinstance(data, dict) else None
    if not isinstance(info, dict) or info.get("bytes") != size:
        return None
    try:
        return RenderInfo(
            path=path,
            bytes=int(info["bytes"]),
            frames=int(info["frames"]),
            duration=float(info["duration"]),
            width=int(info["width"]),
            height=int(info["height"]),
            fps=float(info["fps"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _cache_hit(path: Path, key: str) -> RenderInfo | None:
    try:
        data = json.loads(_sidecar(path).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    info = read_info(path)
    return None if info is None else _replace_cached(info)


def _replace_cached(info: RenderInfo) -> RenderInfo:
    return replace(info, cached=True)


def _write_atomic(path: Path, content: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_text(content)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


# --- locking and temporary files ----------------------------------------------------------------


def _state_dir(sub: str) -> Path:
    d = Path(tempfile.gettempdir()) / f"convanim-{os.getuid()}" / sub
    d.mkdir(parents=True, exist_ok=True)
    return d


@contextlib.contextmanager
def _output_lock(path: Path) -> Iterator[None]:
    """An exclusive lock for one output path, held across check, render and replace."""
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]
    lock_path = _state_dir("locks") / f"{digest}.lock"
    with open(lock_path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _temp_path(path: Path) -> Path:
    return path.with_name(f".{path.stem}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}{path.suffix}")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_temps(path: Path) -> None:
    """Delete temporary files a killed render of ``path`` left behind (their process is gone)."""
    for tmp in path.parent.glob(f".{glob.escape(path.stem)}.tmp-*{glob.escape(path.suffix)}"):
        try:
            pid = int(tmp.name[len(path.stem) + 6 :].split("-", 1)[0])
        except ValueError:
            continue
        if not _pid_alive(pid):
            with contextlib.suppress(OSError):
                tmp.unlink()


# --- the render ----------------------------------------------------------------------------------


def _check_geometry(fmt: str, quality: str, fps: float | None, width: int | None) -> None:
    """Let :func:`scenes.output.output_geometry` reject a bad fps/width before manim starts."""
    from scenes.output import output_geometry

    output_geometry(fmt, quality, fps, width)


def _backend() -> Callable[..., Any]:
    """``scenes.output.render_to_file`` (imports manim); tests replace this."""
    from scenes.output import render_to_file

    return render_to_file


def check_legible(scene: str, spec: ConvSpec, mode: str = "numeric") -> None:
    """Raise :class:`ConvMathError` when ``spec`` is too large for ``scene`` to draw legibly.

    The limit is the scene class's ``check_spec(spec, mode=)`` classmethod (computed from the
    layout at 480p, see :meth:`scenes.base.ConvScene.check_spec`); its message states the limit.
    """
    hook = getattr(load_scene_class(scene), "check_spec", None)
    if callable(hook):
        hook(spec, mode=mode)


def prepare_folder(folder: Path, name: str = "output") -> None:
    """Create ``folder`` if needed; :class:`ConvMathError` (naming ``name``) if that is impossible
    or it is not writable."""
    for part in (folder, *folder.parents):
        if part.exists() and not part.is_dir():
            raise ConvMathError(
                f"{name}={str(folder)!r} is invalid: {str(part)!r} is a file, not a folder"
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConvMathError(
            f"{name}={str(folder)!r} is invalid: the folder cannot be created "
            f"({exc.strerror or exc})"
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ConvMathError(f"{name}={str(folder)!r} is invalid: the folder is not writable")


def _checked_legible(scene: str, spec: ConvSpec, mode: str, path: Path) -> None:
    """:func:`check_legible`, with a scene module that fails to import (or a hook that crashes)
    reported as a :class:`RenderError` with its traceback in a log file, not as a traceback."""
    try:
        check_legible(scene, spec, mode)
    except ConvMathError:
        raise
    except Exception as exc:
        log_path = _state_dir("logs") / f"{path.stem}.{os.getpid()}.log"
        log_path.write_text("".join(traceback.format_exception(exc)))
        detail = (str(exc).strip().splitlines() or [""])[-1]
        raise RenderError(
            f"loading the {scene} scene failed ({type(exc).__name__}"
            f"{': ' + detail if detail else ''})",
            log_path,
        ) from exc


def render_info(
    scene: str,
    spec: ConvSpec,
    x: ArrayLike | None = None,
    w: ArrayLike | None = None,
    *,
    mode: str = "numeric",
    theme: str = "light",
    lang: str = "en",
    step_time: float = 1.0,
    fmt: str = "gif",
    quality: str = DEFAULT_QUALITY,
    fps: float | None = None,
    width: int | None = None,
    output: str | os.PathLike[str] | None = None,
    cache: bool = True,
    progress: Callable[[int], None] | None = None,
    verbose: bool = False,
) -> RenderInfo:
    """Like :func:`render`, but return the file's :class:`RenderInfo` (``cached`` says whether
    an existing file was reused)."""
    entry = scene_entry(scene)
    check_size(spec)
    inputs = _inputs(spec, x, w, entry.name)
    xa, wa = inputs.x.copy(), inputs.w.copy()
    options: dict[str, Any] = {
        "mode": mode,
        "theme": theme,
        "lang": lang,
        "step_time": step_time,
        "fmt": fmt,
        "quality": quality,
        "fps": fps,
        "width": width,
    }
    _check_options(options)
    options["quality"] = _canonical_quality(quality)
    options["step_time"] = float(step_time)
    options["fps"] = None if fps is None else float(fps)
    if output is None:
        tag = values_tag(spec, xa if x is not None else None, wa if w is not None else None,
                         entry.defaults)
        path = default_output_path(
            entry.name, spec, fmt=fmt, mode=mode, theme=theme, lang=lang, values_tag=tag
        )
    else:
        path = Path(output)
    if path.is_dir():
        raise ConvMathError(f"output={str(path)!r} is invalid: it is a directory, not a file")
    key = cache_key(entry.name, spec, xa, wa, options)
    if cache and (hit := _cache_hit(path, key)) is not None:
        return hit
    _check_geometry(fmt, options["quality"], fps, width)
    _checked_legible(entry.name, spec, options["mode"], path)
    prepare_folder(path.parent, "output")
    with _output_lock(path):
        if cache and (hit := _cache_hit(path, key)) is not None:
            return hit  # a concurrent render of the same request finished first
        _remove_stale_temps(path)
        info = _render_locked(entry.name, spec, xa, wa, options, path, progress, verbose)
        record = {
            "version": _SIDECAR_VERSION,
            "key": key,
            "scene": entry.name,
            "spec": _spec_dict(spec),
            "options": options,
            "info": {k: v for k, v in asdict(info).items() if k not in ("path", "cached")},
        }
        _write_atomic(_sidecar(path), json.dumps(record, indent=1, sort_keys=True))
    return info


def render(
    scene: str,
    spec: ConvSpec,
    x: ArrayLike | None = None,
    w: ArrayLike | None = None,
    *,
    mode: str = "numeric",
    theme: str = "light",
    lang: str = "en",
    step_time: float = 1.0,
    fmt: str = "gif",
    quality: str = DEFAULT_QUALITY,
    fps: float | None = None,
    width: int | None = None,
    output: str | os.PathLike[str] | None = None,
    cache: bool = True,
    progress: Callable[[int], None] | None = None,
    verbose: bool = False,
) -> Path:
    """Render ``scene`` for ``spec`` into one file and return its path.

    Parameters
    ----------
    scene
        One of :data:`scenes.catalog.SCENE_NAMES` (``"sliding"``, ``"matrix"``, …).
    spec
        The convolution to show.
    x, w
        Input and kernel values; ``None`` = seeded small random integers (see
        :func:`resolve_arrays`).
    mode, theme, lang, step_time
        Passed to the scene: ``"numeric"``/``"schematic"``, ``"light"``/``"dark"``,
        ``"en"``/``"es"``, seconds per step.
    fmt
        ``"gif"``, ``"mp4"``, ``"webm"`` or ``"png"`` (the last frame).
    quality
        ``"low"``, ``"medium"``, ``"high"``, ``"4k"`` (or ``l``/``m``/``h``/``k``).
    fps, width
        Override the quality's frame rate and pixel width (height follows the frame's aspect).
    output
        The file to write; default :func:`default_output_path` under ``media/``.
    cache
        ``False`` renders even when an identical request already produced the file.
    progress
        Called by the encoder as frames are written (see :func:`scenes.output.render_to_file`).
    verbose
        Show manim's own log instead of hiding it in the log file.

    Returns
    -------
    pathlib.Path
        The written (or reused) file; :func:`read_info` gives its size, frames and duration.

    Raises
    ------
    ConvMathError
        For invalid parameters or arrays, or a configuration too large to draw legibly.
    RenderError
        When manim or the encoder fails; the message names the log file.
    """
    return render_info(
        scene, spec, x, w, mode=mode, theme=theme, lang=lang, step_time=step_time, fmt=fmt,
        quality=quality, fps=fps, width=width, output=output, cache=cache, progress=progress,
        verbose=verbose,
    ).path


def _render_locked(
    scene: str, spec: ConvSpec, x: NDArray[np.float64], w: NDArray[np.float64],
    options: dict[str, Any], path: Path, progress: Callable[[int], None] | None, verbose: bool,
) -> RenderInfo:
    cls = load_scene_class(scene)

    def make_scene() -> Any:
        return cls(
            spec, x, w,
            mode=options["mode"], theme=options["theme"], lang=options["lang"],
            step_time=options["step_time"],
        )

    tmp = _temp_path(path)
    log_path = _state_dir("logs") / f"{path.stem}.{os.getpid()}.log"
    backend = _backend()
    try:
        result = backend(
            make_scene, tmp,
            fmt=options["fmt"], quality=options["quality"], fps=options["fps"],
            width=options["width"], progress=progress, verbose=verbose, log_path=log_path,
        )
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise RuntimeError(f"the encoder wrote no data to {tmp.name}")
        # The old record goes first: an interruption before the new one is written must read
        # as a cache miss, never as a hit for the previous request.
        with contextlib.suppress(FileNotFoundError):
            _sidecar(path).unlink()
        os.replace(tmp, path)
    except ConvMathError:
        raise
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        with contextlib.suppress(OSError), open(log_path, "a") as fh:
            fh.write("\n" + "".join(traceback.format_exception(exc)))
        summary = str(exc).strip().splitlines()
        detail = summary[-1] if summary else ""
        raise RenderError(
            f"rendering {scene} failed ({type(exc).__name__}{': ' + detail if detail else ''})",
            log_path,
        ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    with contextlib.suppress(FileNotFoundError):
        log_path.unlink()
    return RenderInfo(
        path=path,
        bytes=path.stat().st_size,
        frames=int(getattr(result, "frames", 0)),
        duration=float(getattr(result, "duration", 0.0)),
        width=int(getattr(result, "width", 0)),
        height=int(getattr(result, "height", 0)),
        fps=float(getattr(result, "fps", 0.0)),
    )


class _CallableModule(types.ModuleType):
    """Lets ``scenes.render(...)`` work although ``scenes.render`` is also this module's name."""

    def __call__(self, *args: Any, **kwargs: Any) -> Path:
        return render(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
