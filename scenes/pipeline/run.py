"""`render`: one scene and one configuration to one file, cached and written atomically.

This is the Python API behind ``convanim render`` and ``convanim gallery``; notebooks and scripts
call it as ``scenes.render``::

    import scenes
    from convmath import ConvSpec
    info = scenes.render("sliding", ConvSpec((5, 5), 3, stride=2, padding=1))

What it guarantees:

* **Cache.** Next to the output a hidden sidecar ``.<name>.json`` holds the request's key
  (:meth:`RenderRequest.key`) and the file's SHA-256; an identical request returns the unchanged
  file at once; ``cache=False`` forces a render.
* **Atomic output.** Frames are encoded into a hidden temporary file in the destination folder
  (no longer than the final name), which replaces the output with :func:`os.replace` only once
  it is complete: a failed or interrupted render never leaves a partial file and never damages
  an existing one; only regular files are ever replaced.
* **No collisions.** Renders of the same output take a per-output lock (the second one then
  finds the first one's result in the cache); renders of different outputs run in parallel.

manim is imported only when a render actually runs, so importing this module is cheap.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from numpy.typing import ArrayLike

from convmath import ConvMathError, ConvSpec
from scenes.catalog import legibility_check, load_scene_class, scene_entry, stack_check
from scenes.pipeline.cache import cache_hit, sidecar_path, write_sidecar
from scenes.pipeline.errors import PipelineError, RenderError
from scenes.pipeline.files import (
    LOCK_TIMEOUT,
    create_temp,
    new_log,
    output_lock,
    temp_glob,
)
from scenes.pipeline.info import RenderInfo
from scenes.pipeline.request import RenderRequest, prepare_folder

__all__ = ["render", "render_info", "render_request", "check_legible"]


def _backend() -> Callable[..., Any]:
    """:func:`scenes.pipeline.frames.render_to_file` (imports manim); tests replace this."""
    from scenes.pipeline.frames import render_to_file

    return render_to_file


def check_legible(scene: str, spec: ConvSpec, mode: str = "numeric") -> None:
    """Raise :class:`ConvMathError` when ``spec`` is too large for ``scene`` to draw legibly.

    The limit is the scene's catalog check (:func:`scenes.catalog.legibility_check`: its
    :mod:`scenes.plans` module, computed from the layout at 480p, the same check as the scene
    class's ``check_spec``); its message states the limit. Imports no manim.
    """
    legibility_check(scene)(spec, mode)


def _failure(what: str, exc: BaseException, log_path: Path | None = None) -> RenderError:
    """A :class:`RenderError` for ``exc``, its traceback appended to a log file."""
    if log_path is None:
        log_path = new_log(what.split()[-1])
    with contextlib.suppress(OSError), open(log_path, "a", encoding="utf-8") as fh:
        fh.write("\n" + "".join(traceback.format_exception(exc)))
    lines = str(exc).strip().splitlines()
    detail = lines[-1] if lines else ""
    return RenderError(f"{what} failed ({type(exc).__name__}{': ' + detail if detail else ''})",
                       log_path)


def _checked_legible(request: RenderRequest) -> None:
    """:func:`check_legible` (or, for a stack, :func:`scenes.catalog.stack_check`), then the
    scene class imported; a check or scene module that fails to import (or a check that
    crashes) is reported as a :class:`RenderError` with its traceback in a log file, not as a
    traceback. The check imports no manim: a refused spec never loads the scene (issue 20)."""
    try:
        if request.stack is not None:
            check = stack_check(request.scene)
            if check is not None:
                check(request.stack, request.options.mode)
        else:
            check_legible(request.scene, request.inputs.spec, request.options.mode)
        load_scene_class(request.scene)
    except (ConvMathError, PipelineError):
        raise
    except Exception as exc:
        raise _failure(f"loading the {request.scene} scene", exc) from exc


def _remove_stale_temps(request: RenderRequest) -> None:
    """Delete temporary files killed renders of the output (and its poster) left behind
    (called under the output's lock, so no live render owns one)."""
    for final in (request.path, request.poster):
        for tmp in temp_glob(final) if final is not None else ():
            with contextlib.suppress(OSError):
                tmp.unlink()


def _scene_factory(request: RenderRequest) -> Callable[[], Any]:
    cls = load_scene_class(request.scene)
    inputs = request.inputs

    def make_scene() -> Any:
        # Positional spec, x, w: every scene takes them (FlipVsCorrelation's own __init__ does
        # not pass ``inputs=`` on); ConvScene rebuilds the same ConvInputs from them.
        extra = {} if inputs.bias is None else {"bias": inputs.bias.copy()}
        if request.stack is not None:
            extra["stack"] = request.stack
        return cls(inputs.spec, inputs.x.copy(), inputs.w.copy(),
                   **request.options.scene_options(), **extra)

    return make_scene


def _encode(request: RenderRequest, progress: Callable[[int], None] | None, verbose: bool
            ) -> RenderInfo:
    """Render into temporary files and move them over the output (and its poster); the log is
    removed after a success, kept (and named) after a failure, removed after an interruption."""
    path, opts = request.path, request.options
    log_path = new_log(path.stem)
    tmp = create_temp(path)
    tmp_poster = None if request.poster is None else create_temp(request.poster)
    keep_log = False
    try:
        result = _backend()(
            _scene_factory(request), tmp, fmt=opts.fmt, quality=opts.quality, fps=opts.fps,
            width=opts.width, progress=progress, verbose=verbose, log_path=log_path,
            **({} if tmp_poster is None else {"poster": tmp_poster}),
            **({} if opts.frame is None else {"frame": opts.frame}),
        )
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise RuntimeError(f"the encoder wrote no data to {tmp.name}")
        # The old record goes first: an interruption before the new one is written must read
        # as a cache miss, never as a hit for the previous request.
        with contextlib.suppress(FileNotFoundError):
            sidecar_path(path).unlink()
        poster = _place_poster(tmp_poster, request.poster)
        os.replace(tmp, path)
    except (ConvMathError, PipelineError):
        raise
    except Exception as exc:
        keep_log = True
        raise _failure(f"rendering {request.scene}", exc, log_path) from exc
    finally:
        for leftover in (tmp, tmp_poster):
            if leftover is not None:
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
        if not keep_log:
            with contextlib.suppress(OSError):
                log_path.unlink()
    return replace(_measured(result, path), poster=poster)


def _place_poster(tmp: Path | None, final: Path | None) -> Path | None:
    """Move a written poster into place; ``None`` when the encoder wrote none."""
    if tmp is None or final is None or not tmp.is_file() or tmp.stat().st_size == 0:
        return None
    os.replace(tmp, final)
    return final


def _measured(result: Any, path: Path) -> RenderInfo:
    return RenderInfo(
        path=path,
        bytes=path.stat().st_size,
        frames=int(getattr(result, "frames", 0)),
        duration=float(getattr(result, "duration", 0.0)),
        width=int(getattr(result, "width", 0)),
        height=int(getattr(result, "height", 0)),
        fps=float(getattr(result, "fps", 0.0)),
    )


def _alt(request: RenderRequest) -> str:
    """What the request's scene shows, in its language (:func:`scenes.alt.alt_text`)."""
    from scenes.alt import alt_text

    return alt_text(request.scene, request.inputs.spec, request.options.lang)


def render_request(
    request: RenderRequest,
    *,
    cache: bool = True,
    progress: Callable[[int], None] | None = None,
    verbose: bool = False,
    lock_timeout: float = LOCK_TIMEOUT,
) -> RenderInfo:
    """Render a checked :class:`RenderRequest` (see :func:`render` for the guarantees)."""
    key = request.key()
    if cache and (hit := cache_hit(request.path, key)) is not None:
        return replace(hit, alt=_alt(request))  # the wording may be newer than the file
    _checked_legible(request)
    prepare_folder(request.path.parent, "output")
    with output_lock(request.path, lock_timeout):
        if cache and (hit := cache_hit(request.path, key)) is not None:
            return replace(hit, alt=_alt(request))  # a concurrent render finished first
        _remove_stale_temps(request)
        info = replace(_encode(request, progress, verbose), alt=_alt(request))
        write_sidecar(request.path, key, info, request.record())
    return info


def render_info(
    scene: str,
    spec: ConvSpec | None,
    x: ArrayLike | None = None,
    w: ArrayLike | None = None,
    *,
    output: str | os.PathLike[str] | None = None,
    fmt: str | None = None,
    cache: bool = True,
    progress: Callable[[int], None] | None = None,
    verbose: bool = False,
    lock_timeout: float = LOCK_TIMEOUT,
    **options: Any,
) -> RenderInfo:
    """:func:`render` (the same parameters and result)."""
    request = RenderRequest.make(scene, spec, x, w, output=output, fmt=fmt, **options)
    return render_request(request, cache=cache, progress=progress, verbose=verbose,
                          lock_timeout=lock_timeout)


def _as_stack(layers: Any) -> Any:
    """``layers`` as a :class:`scenes.stack_inputs.LayerStack` (``None`` stays ``None``)."""
    if layers is None:
        return None
    from scenes.stack_inputs import LayerStack

    return layers if isinstance(layers, LayerStack) else LayerStack.of(layers)


def render(
    scene: str,
    spec: ConvSpec | None = None,
    x: ArrayLike | None = None,
    w: ArrayLike | None = None,
    *,
    mode: str = "numeric",
    theme: str = "light",
    lang: str = "en",
    step_time: float = 1.0,
    fmt: str | None = None,
    quality: str = "low",
    fps: float | None = None,
    width: int | None = None,
    output: str | os.PathLike[str] | None = None,
    cache: bool = True,
    progress: Callable[[int], None] | None = None,
    verbose: bool = False,
    layers: Any = None,
) -> RenderInfo:
    """Render ``scene`` for ``spec`` into one file and return what was written.

    Parameters
    ----------
    scene
        One of :data:`scenes.catalog.SCENE_NAMES` (``"sliding"``, ``"matrix"``, …).
    spec
        The convolution to show; ``None`` = the scene's default (its catalog entry).
    x, w
        Input and kernel values; ``None`` = the scene's defaults (seeded small integers and its
        kernel preset, :class:`scenes.inputs.SceneDefaults`).
    mode, theme, lang, step_time
        Passed to the scene: ``"numeric"``/``"schematic"``, ``"light"``/``"dark"``,
        ``"en"``/``"es"``, seconds per step (0.05..10).
    fmt
        ``"gif"``, ``"mp4"``, ``"webm"`` or ``"png"`` (the last frame); ``None`` = from the
        output's extension (GIF for a default name).
    quality
        ``"low"``, ``"medium"``, ``"high"``, ``"4k"`` (or ``l``/``m``/``h``/``k``).
    fps, width
        Override the quality's frame rate and pixel width (height follows the frame's aspect).
    output
        The file to write (a regular file or absent); a name ending in ``/`` is a folder for
        the default name; default :func:`scenes.pipeline.naming.default_output_path`
        under ``media/``.
    cache
        ``False`` renders even when an identical request already produced the file.
    progress
        Called by the encoder as frames are written: ``progress(frames_so_far)``.
    verbose
        Show manim's own log instead of hiding it in the log file.
    layers
        For a scene that draws a stack (``"receptive"``): a ``LayerStack`` or direct specs,
        each taking the previous one's output (then leave ``spec`` out).

    Returns
    -------
    RenderInfo
        The written (or reused) file: usable as a path (``os.fspath``), with its size, frames,
        duration, pixel size and alt text; shown inline by Jupyter.

    Raises
    ------
    ConvMathError
        For invalid parameters or arrays, or a configuration too large to draw legibly.
    OutputError
        For an output that must not be replaced or disagrees with the format.
    RenderError
        When manim or the encoder fails; the message names the log file.
    BusyError
        When another render of the same output holds its lock too long.
    """
    stack = _as_stack(layers)
    if stack is None and spec is None:
        spec = scene_entry(scene).defaults.spec
    return render_info(
        scene, spec, x, w, mode=mode, theme=theme, lang=lang, step_time=step_time, fmt=fmt,
        quality=quality, fps=fps, width=width, output=output, cache=cache, progress=progress,
        verbose=verbose, stack=stack,
    )
