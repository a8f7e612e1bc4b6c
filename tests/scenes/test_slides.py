"""The manim-slides adapter (:mod:`scenes.slides`): each step mark becomes a slide.

Without manim-slides (the project's default environment) only the error path runs; with the
``slides`` extra installed (manim 0.21.0 + manim-slides 5.7.0, see the README) one scene is
rendered for real at 64×36, 4 fps, and its presentation file is read back with manim-slides'
own parser.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from convmath import ConvSpec
from scenes.kit.log import Section


def test_without_manim_slides_the_adapter_names_the_extra(monkeypatch):
    from scenes import slides

    monkeypatch.setitem(sys.modules, "manim_slides", None)  # import fails as if absent
    with pytest.raises(ImportError, match=r"manim-slides: pip install -e '\.\[slides\]'"):
        slides.slide_scene("sliding")


@pytest.mark.render
def test_every_step_mark_is_a_slide(tmp_path: Path, monkeypatch):
    pytest.importorskip("manim_slides")
    from manim import tempconfig
    from manim_slides.config import PresentationConfig

    from scenes import slides
    from scenes.kit.theme import DARK
    from scenes.sliding import SlidingFilter

    cls = slides.slide_scene("sliding")
    assert issubclass(cls, SlidingFilter) and cls.__name__ == "SlidingFilterSlides"
    assert slides.SlidingFilterSlides.__name__ == "SlidingFilterSlides"  # manim-slides' CLI
    monkeypatch.chdir(tmp_path)
    with tempconfig({"media_dir": str(tmp_path / "media"), "pixel_width": 64,
                     "pixel_height": 36, "frame_rate": 4, "disable_caching": True,
                     "progress_bar": "none", "verbosity": "ERROR"}):
        scene = cls(ConvSpec((3, 3), 2), theme="dark", output_folder=tmp_path / "slides")
        scene.render()
    assert scene.log.violations() == []
    marks = [e.name for e in scene.log.events if isinstance(e, Section)]
    pres = PresentationConfig.from_file(tmp_path / "slides" / "SlidingFilterSlides.json")
    # One slide per mark (the full steps, the faster phase, the closing hold) plus the preview
    # and title before the first.
    assert marks[0] == "step 0" and marks[-1] == "closing"
    assert len(pres.slides) == len(marks) + 1
    assert all(Path(s.file).is_file() for s in pres.slides)
    assert pres.background_color.as_hex(format="long").upper() == DARK.background.upper()
    assert pres.resolution == (64, 36)
