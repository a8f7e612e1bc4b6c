"""The table of scenes the CLI and the gallery can render, without importing manim.

``convanim list`` and every ``--help`` read this table, so it names each scene's module and class
as strings; :func:`load_scene_class` imports the module (and with it manim) only when a render
needs the class.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from convmath import ConvMathError
from scenes.wording import text

__all__ = ["SceneEntry", "SCENES", "SCENE_NAMES", "scene_entry", "load_scene_class"]


@dataclass(frozen=True, slots=True)
class SceneEntry:
    """One renderable scene.

    Attributes
    ----------
    name : str
        The name users type (``convanim render sliding``).
    module : str
        Dotted module path holding the class.
    class_name : str
        The ``ConvScene`` subclass.
    description_key : str
        Key of its one-line description in :data:`convmath.i18n.STRINGS`.
    """

    name: str
    module: str
    class_name: str
    description_key: str

    def description(self, lang: str = "en") -> str:
        """The one-line description in ``lang``."""
        return text(self.description_key, lang)


SCENES: dict[str, SceneEntry] = {
    e.name: e
    for e in (
        SceneEntry("sliding", "scenes.sliding", "SlidingFilter", "scene_desc_sliding"),
        SceneEntry("matrix", "scenes.matrix", "MatrixView", "scene_desc_matrix"),
        SceneEntry(
            "connectivity", "scenes.connectivity", "Connectivity", "scene_desc_connectivity"
        ),
        SceneEntry(
            "superposition", "scenes.connectivity", "Superposition", "scene_desc_superposition"
        ),
        SceneEntry("sizes", "scenes.sizes", "OutputSize", "scene_desc_sizes"),
        SceneEntry("flip", "scenes.flip", "FlipVsCorrelation", "scene_desc_flip"),
    )
}

SCENE_NAMES: tuple[str, ...] = tuple(SCENES)


def scene_entry(name: str) -> SceneEntry:
    """The entry for ``name``.

    Raises
    ------
    ConvMathError
        For an unknown name, listing the known ones.
    """
    if name not in SCENES:
        raise ConvMathError(
            f"scene={name!r} is invalid: scene must be one of {', '.join(SCENE_NAMES)}"
        )
    return SCENES[name]


def load_scene_class(name: str) -> type:
    """Import and return the scene class for ``name`` (this imports manim).

    Raises
    ------
    ConvMathError
        For an unknown name.
    """
    entry = scene_entry(name)
    module = importlib.import_module(entry.module)
    return getattr(module, entry.class_name)
