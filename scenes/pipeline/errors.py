"""The pipeline's errors. Each carries the exit status a command line should end with.

Invalid option *values* (a mode, a quality, an fps) are :class:`convmath.ConvMathError`, like
every other invalid value; these are what the pipeline meets around them: an output it must not
touch, a render that failed, a lock held too long, an unsafe state folder.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PipelineError", "OutputError", "RenderError", "BusyError", "StateError"]


class PipelineError(Exception):
    """Base of the pipeline's errors; ``exit_code`` is the status a CLI ends with."""

    exit_code = 1

    def __init__(self, message: str, *, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


class OutputError(PipelineError, ValueError):
    """An output file or folder that cannot be used (a FIFO, a device, a file in the way of a
    folder, an extension that disagrees with the format, …); ``param`` is ``"output"``."""

    exit_code = 2


class RenderError(PipelineError, RuntimeError):
    """A render failed inside manim or the encoder.

    Attributes
    ----------
    log_path : pathlib.Path
        The file holding manim's log and the traceback.
    """

    def __init__(self, message: str, log_path: Path) -> None:
        super().__init__(message)
        self.log_path = log_path


class BusyError(PipelineError):
    """Another render of the same output held its lock longer than the wait allows."""

    exit_code = 75  # EX_TEMPFAIL: try again later


class StateError(PipelineError):
    """convanim's per-user state folder is unsafe to use (someone else's, a symbolic link)."""
