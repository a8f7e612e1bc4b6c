"""The engine's one exception."""

from __future__ import annotations

__all__ = ["ConvMathError"]


class ConvMathError(ValueError):
    """Raised for every invalid specification or array.

    The message always names the parameter, the bad value and what is allowed, e.g.
    ``stride=0 is invalid: stride must be an integer >= 1 (per axis)``.

    Parameters
    ----------
    message
        The whole sentence.
    param
        The name of the parameter it is about (``"stride"``, ``"x"``, ``"output_padding"``, …),
        or ``None``; front ends map it to their own option name (``--stride``) without parsing
        the message.
    """

    def __init__(self, message: str, *, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param
