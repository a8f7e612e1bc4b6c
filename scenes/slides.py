"""manim-slides adapter: every scene's step marks become slides where manim-slides is installed.

Each scene marks its steps with :meth:`ConvScene.mark` (a ``next_section()``: plain ``manim
--save_sections`` writes one clip per step). With `manim-slides <https://manim-slides.eertmans.be>`_
installed (``pip install -e '.[slides]'``: the versions that work together are pinned there),
:func:`slide_scene` makes the same scene a ``manim_slides.Slide`` whose marks call
``next_slide()``, and this module defines one such class per catalog scene, named after it
(``SlidingFilterSlides``, ``MatrixViewSlides``, …)::

    manim-slides render scenes/slides.py SlidingFilterSlides
    manim-slides present SlidingFilterSlides

manim-slides is not a dependency of the core: without it this module defines no classes and
:func:`slide_scene` raises :class:`ImportError` saying what to install.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from scenes.catalog import SCENES, load_scene_class

__all__ = ["slide_scene", "SLIDES_EXTRA", "available"]

#: The install line that brings the versions of manim and manim-slides that work together.
SLIDES_EXTRA = "pip install -e '.[slides]'"


def available() -> bool:
    """Whether manim-slides can be imported."""
    return importlib.util.find_spec("manim_slides") is not None


def slide_scene(scene: str | type) -> type:
    """The scene ``scene`` (a catalog name or a ``ConvScene`` subclass) as a manim-slides
    ``Slide``: the same drawing, each :meth:`~scenes.kit.base.ConvScene.mark` a
    ``next_slide()`` (which also starts manim's section of the same name).

    Raises
    ------
    ImportError
        When manim-slides is not installed (the message names :data:`SLIDES_EXTRA`).
    ConvMathError
        For an unknown scene name.
    """
    try:
        from manim_slides import Slide
    except ImportError as exc:
        raise ImportError(f"slides need manim-slides: {SLIDES_EXTRA}") from exc
    from scenes.kit.log import Section

    base = load_scene_class(scene) if isinstance(scene, str) else scene

    def mark(self: Any, name: str) -> None:
        """A slide per step: ``next_slide(name)`` (manim's section too), logged."""
        self.next_slide(name)
        self.log.add(Section(self.time, self.time, name=name))

    return type(f"{base.__name__}Slides", (base, Slide), {
        "mark": mark, "__module__": __name__,
        "__doc__": f"{base.__name__} as manim-slides slides: one slide per step.",
    })


if available():  # one Slide class per catalog scene, for `manim-slides render scenes/slides.py`
    for _entry in SCENES.values():
        _cls = slide_scene(_entry.name)
        globals()[_cls.__name__] = _cls
        __all__.append(_cls.__name__)
