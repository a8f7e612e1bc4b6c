"""The gallery's data: :class:`GalleryEntry` (one parsed animation) and :class:`EntryResult`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from convmath import ConvSpec
from scenes.pipeline.options import RenderOptions
from scenes.pipeline.writers import WRITERS

__all__ = ["GalleryEntry", "EntryResult"]


@dataclass(frozen=True)
class GalleryEntry:
    """One animation of a gallery, fully parsed and checked.

    Attributes
    ----------
    name : str
        File stem (``<name>.<fmt>``) and heading.
    scene : str
        A scene name of :data:`scenes.catalog.SCENE_NAMES`.
    spec : ConvSpec
        The convolution.
    x, w : numpy.ndarray or None
        Explicit values (``None``: the scene's defaults).
    bias : numpy.ndarray or None
        One bias per output channel (``None``: the scene's default, else none).
    options : RenderOptions
        The checked render options (the same validator as the CLI's).
    params : dict
        The parameters as the user wrote them, by key (shown on the page).
    stack : LayerStack or None
        The layers of a scene that draws a stack (``layers`` in the file); ``spec`` is then
        its first layer.
    caption : str
        Optional text shown under the heading.
    """

    name: str
    scene: str
    spec: ConvSpec
    x: np.ndarray | None = None
    w: np.ndarray | None = None
    bias: np.ndarray | None = None
    options: RenderOptions = field(default_factory=RenderOptions)
    params: dict[str, str] = field(default_factory=dict)
    caption: str = ""
    stack: Any = None

    @property
    def fmt(self) -> str:
        return self.options.fmt

    @property
    def lang(self) -> str:
        return self.options.lang

    @property
    def filename(self) -> str:
        return f"{self.name}{WRITERS[self.fmt].suffix}"

    def alt(self) -> str:
        """The alt text: what the entry's scene shows, in the entry's language
        (:func:`scenes.alt.alt_text`)."""
        from scenes.alt import alt_text

        return alt_text(self.scene, self.spec, self.lang)


@dataclass(frozen=True)
class EntryResult:
    """What happened to one entry: its file's measurements, or why it failed."""

    entry: GalleryEntry
    path: Path | None = None
    bytes: int = 0
    frames: int = 0
    duration: float = 0.0
    width: int = 0
    height: int = 0
    cached: bool = False
    seconds: float = 0.0
    error: str | None = None
    log_path: str | None = None
    poster: Path | None = None

    @property
    def ok(self) -> bool:
        return self.error is None
