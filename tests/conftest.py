"""Shared pytest configuration (keep it small: fixtures live beside the tests that use them)."""

from hypothesis import settings

# Property tests: a modest number of examples and no per-example deadline (2 shared cores).
settings.register_profile("convanim", max_examples=60, deadline=None)
settings.load_profile("convanim")
