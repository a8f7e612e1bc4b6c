"""Shared pytest configuration (keep it small: fixtures live beside the tests that use them)."""

import sys
from pathlib import Path

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


def pytest_unconfigure(config) -> None:
    import shutil

    folder = getattr(config, "_convanim_text_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)

