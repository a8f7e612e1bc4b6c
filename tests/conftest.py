"""Shared pytest configuration (keep it small: fixtures live beside the tests that use them)."""

import sys
from pathlib import Path

from hypothesis import settings

# Tests in sub-folders (tests/kit, tests/scenes) share tests/scene_helpers.py.
sys.path.insert(0, str(Path(__file__).parent))

# Property tests: a modest number of examples and no per-example deadline (2 shared cores).
settings.register_profile("convanim", max_examples=60, deadline=None)
settings.load_profile("convanim")
