"""The engine's one exception."""

from __future__ import annotations

__all__ = ["ConvMathError"]


class ConvMathError(ValueError):
    """Raised for every invalid specification or array.

    The message always names the parameter, the bad value and what is allowed, e.g.
    ``stride=0 is invalid: stride must be an integer >= 1 (per axis)``.
    """
