"""Shared helpers of the scene render tests: one tiny render configuration and one frame check.

Every scene test renders for real at tiny resolution with :func:`render_scene`; the scene is a
:func:`checked` subclass that, after every ``play()`` (``wait()`` included) and once more at the
end, notes in ``scene.problems`` each visible mobject outside the frame and each pair of visible
texts that overlap. A passing scene has ``scene.problems == []``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from manim import tempconfig

from scenes.layout.geometry import _bounds

__all__ = ["inside_frame", "overlapping_texts", "tiny_config", "visible", "frame_problems",
           "checked", "render_scene", "largest_from_message", "texts_on_screen"]


# -- probes: what is drawn where (test-only; moved out of scenes.layout) ----------------------


def inside_frame(mob, frame_width: float | None = None, frame_height: float | None = None,
                 tol: float = 1e-3) -> bool:
    """Whether ``mob`` (every point of it and its submobjects) lies inside the frame.

    The frame defaults to manim's current ``config`` frame size.
    """
    if frame_width is None or frame_height is None:
        from manim import config

        frame_width = frame_width or config.frame_width
        frame_height = frame_height or config.frame_height
    points = [m.points for m in mob.get_family() if len(m.points)]
    if not points:
        return True
    pts = np.concatenate(points)
    return bool(
        np.all(np.abs(pts[:, 0]) <= frame_width / 2 + tol)
        and np.all(np.abs(pts[:, 1]) <= frame_height / 2 + tol)
    )


def overlapping_texts(mobjects: Iterable, tol: float = 1e-3) -> list[tuple[object, object]]:
    """Pairs of text mobjects (``Text``/``MarkupText``) among ``mobjects`` whose boxes overlap.

    Every family member of each given mobject is looked at; empty texts are skipped.
    """
    from manim import MarkupText, Text

    texts = []
    seen: set[int] = set()
    for mob in mobjects:
        for m in mob.get_family():
            if (isinstance(m, Text | MarkupText) and id(m) not in seen
                    and len(m.get_family()) > 1 and visible(m)):  # transparent: not drawn
                seen.add(id(m))
                texts.append(m)
    if len(texts) < 2:
        return []
    b = np.array([_bounds(t) for t in texts])
    left, right, bottom, top = (b[:, k] for k in range(4))
    hit = (
        (left[:, None] < right[None, :] - tol)
        & (left[None, :] < right[:, None] - tol)
        & (bottom[:, None] < top[None, :] - tol)
        & (bottom[None, :] < top[:, None] - tol)
    )
    i, j = np.nonzero(np.triu(hit, k=1))
    return [(texts[a], texts[c]) for a, c in zip(i.tolist(), j.tolist())]


def tiny_config(media_dir: Path | str, *, last_frame_only: bool = False) -> dict[str, Any]:
    """The render configuration of the scene tests (160x90, 5 fps, nothing written).

    ``last_frame_only`` runs every ``play()`` but skips drawing the frames in between (manim's
    ``save_last_frame``): the checks still see every state, only pixels are not made.
    """
    cfg: dict[str, Any] = {
        "pixel_height": 90,
        "pixel_width": 160,
        "frame_rate": 5,
        "disable_caching": True,
        "write_to_movie": False,
        "media_dir": str(media_dir),
        "verbosity": "ERROR",
        "progress_bar": "none",
    }
    if last_frame_only:
        cfg["save_last_frame"] = True
    return cfg


def visible(m) -> bool:
    """Whether any part of ``m`` is drawn (has points and a non-transparent fill or stroke)."""
    return any(
        len(f.points) and (f.get_fill_opacity() > 0 or f.get_stroke_opacity() > 0)
        for f in m.get_family()
    )


def frame_problems(mobjects) -> list[tuple]:
    """``("outside", repr)`` per mobject leaving the frame, ``("overlap", a, b)`` per pair of
    visible texts whose boxes overlap."""
    problems: list[tuple] = [("outside", repr(m)) for m in mobjects if not inside_frame(m)]
    shown = [m for m in mobjects if visible(m)]
    problems += [("overlap", a.text, b.text) for a, b in overlapping_texts(shown)]
    return problems


def texts_on_screen(mobjects) -> set[str]:
    """The characters of every visible ``Text``/``MarkupText`` among ``mobjects`` (their
    families included; markup without its tags): grid numbers, badges, captions, equations."""
    import html
    import re

    from manim import MarkupText, Text

    out: set[str] = set()
    for mob in mobjects:
        for m in mob.get_family():
            if isinstance(m, Text | MarkupText) and visible(m):
                raw = getattr(m, "original_text", None) or m.text  # .text drops spaces
                out.add(html.unescape(re.sub(r"<[^>]+>", "", raw)))
    return out


@cache
def checked(cls: type) -> type:
    """A subclass of the scene ``cls`` that records :func:`frame_problems` after every play()."""

    def play(self, *args, **kwargs):
        result = super(sub, self).play(*args, **kwargs)
        self.problems.extend(frame_problems(self.mobjects))
        if self.seen_texts is not None:
            self.seen_texts |= texts_on_screen(self.mobjects)
        return result

    def __init__(self, *args, seen_texts: bool = False, **kwargs):
        self.problems = []
        self.seen_texts = set() if seen_texts else None
        super(sub, self).__init__(*args, **kwargs)

    def construct(self):
        from manim import config

        if not config.save_last_frame:
            return super(sub, self).construct()
        # Skipping the animations, manim still draws a static frame for every play() and wait();
        # none of them is kept, so draw nothing until the construct is over: the last frame is
        # drawn once, by manim, after it.
        renderer = self.renderer
        saved = renderer.update_frame, renderer.save_static_frame_data
        renderer.update_frame = lambda *a, **k: None
        renderer.save_static_frame_data = lambda *a, **k: None
        try:
            return super(sub, self).construct()
        finally:
            del renderer.update_frame, renderer.save_static_frame_data
            assert (renderer.update_frame, renderer.save_static_frame_data) == saved

    sub = type(f"Checked{cls.__name__}", (cls,),
               {"play": play, "__init__": __init__, "construct": construct})
    return sub


@cache
def _text_cache() -> None:
    """Parsed text shared with the run's other processes, as the pipeline does for renders."""
    from scenes.kit.text import use_disk_cache
    from scenes.pipeline.files import text_cache_dir

    use_disk_cache(text_cache_dir())


def render_scene(cls: type, media_dir: Path | str, spec=None, x=None, w=None, *,
                 last_frame_only: bool = True, **options):
    """Render ``checked(cls)(spec, x, w, **options)`` in :func:`tiny_config`; the end state is
    checked too. Returns the scene (``scene.problems`` lists what went wrong).

    Every ``play()`` runs and is checked, and its scene log is kept; by default the frames in
    between are not drawn (``last_frame_only``), since these tests read the scene's mobjects and
    log, not pixels. Pass ``last_frame_only=False`` to draw every frame; every scene is also
    drawn frame by frame and encoded by the installed command in ``tests/pipeline``.
    ``seen_texts=True`` keeps in ``scene.seen_texts`` every text visible after any ``play()``
    (:func:`texts_on_screen`)."""
    _text_cache()
    with tempconfig(tiny_config(media_dir, last_frame_only=last_frame_only)):
        scene = checked(cls)(spec, x, w, **options)
        scene.render()
        scene.problems.extend(frame_problems(scene.mobjects))
        if scene.seen_texts is not None:
            scene.seen_texts |= texts_on_screen(scene.mobjects)
    return scene


def largest_from_message(message: str) -> int | None:
    """The ``N`` of "inputs up to about N×N" (or "N") in a legibility error."""
    import re

    m = re.search(r"inputs up to about (\d+)", message)
    return int(m.group(1)) if m else None
