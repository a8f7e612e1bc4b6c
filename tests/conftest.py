"""Shared pytest configuration (keep it small: fixtures live beside the tests that use them)."""

import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Tests in sub-folders (tests/kit, tests/scenes) share tests/scene_helpers.py.
sys.path.insert(0, str(Path(__file__).parent))

# Property tests: a modest number of examples and no per-example deadline (2 shared cores).
settings.register_profile("convanim", max_examples=60, deadline=None)
settings.load_profile("convanim")



def pytest_configure(config) -> None:
    """One parsed-text cache for the whole run (``CONVANIM_TEXT_CACHE``), shared by the xdist
    workers and the CLI subprocesses, in a temporary folder of the run's own: a fresh clone
    starts cold, and no test reads text parsed by an earlier run. Scene tests turn it on in
    :func:`scene_helpers.render_scene`; the pipeline turns it on for every render."""
    import os
    import tempfile

    if not hasattr(config, "workerinput") and "CONVANIM_TEXT_CACHE" not in os.environ:
        # the controller: the workers inherit the variable (a folder set by hand is kept)
        folder = tempfile.mkdtemp(prefix="convanim-test-text-")
        os.environ["CONVANIM_TEXT_CACHE"] = folder
        config._convanim_text_cache = folder


MEDIA = Path(__file__).resolve().parent.parent / "media"


@pytest.fixture(autouse=True)
def _manim_media_outside_the_checkout(tmp_path_factory: pytest.TempPathFactory) -> None:
    """manim writes the SVG of every ``Text`` into ``config.media_dir`` (``./media``, the
    checkout's own, by default): point it into the run's temporary folder, before each test,
    once manim is imported (a test's own ``tempconfig`` still wins inside it)."""
    manim = sys.modules.get("manim")
    if manim is not None and Path(manim.config.media_dir).resolve() == MEDIA:
        manim.config.media_dir = str(tmp_path_factory.getbasetemp() / "manim-media")


def _media_files() -> set[str]:
    return {str(p.relative_to(MEDIA)) for p in MEDIA.rglob("*")} if MEDIA.exists() else set()


def pytest_sessionstart(session) -> None:
    session.config._convanim_media = _media_files()


def pytest_sessionfinish(session, exitstatus) -> None:
    """No test writes into the checkout's ``media/`` (manim's default ``media_dir`` there:
    a test that builds a scene without a ``media_dir`` once left ``media/texts/``)."""
    if hasattr(session.config, "workerinput"):
        return
    new = sorted(_media_files() - getattr(session.config, "_convanim_media", set()))
    if new:
        print(f"\nFAILED: the tests wrote into {MEDIA}: {', '.join(new[:5])}", file=sys.stderr)
        session.exitstatus = 1


def pytest_unconfigure(config) -> None:
    import shutil

    folder = getattr(config, "_convanim_text_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)

