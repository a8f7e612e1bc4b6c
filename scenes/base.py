"""`ConvScene`: the base of every convanim scene (parameters, theme, language, records).

A scene takes its parameters as constructor arguments and also runs with the plain ``manim``
command from class-attribute defaults::

    manim -ql scenes/sliding.py SlidingFilter          # defaults
    SlidingFilter(spec, x, w, mode="schematic", theme="dark", lang="es").render()

Nothing here touches ``manim.config`` at import time; the frame size is read when a scene plans
its layout.
"""

from __future__ import annotations

import numbers
from typing import Any, ClassVar

import numpy as np
from manim import Scene, config
from numpy.typing import ArrayLike, NDArray

from convmath import ConvSpec, kernel_preset, random_values
from convmath.i18n import LANGS
from convmath.ops import check_array
from scenes.grid import text_row
from scenes.layout import Box, Layout, plan, plan_best
from scenes.theme import Theme, get_theme
from scenes.wording import text

__all__ = ["ConvScene", "MODES", "default_arrays"]

MODES: tuple[str, ...] = ("numeric", "schematic")


def default_arrays(spec: ConvSpec, seed: int = 0, kernel: str = "sobel-x"
                   ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Seeded small-integer input and a kernel for ``spec``.

    The kernel is the preset ``kernel`` when its shape matches ``spec.kernel_shape``, else seeded
    small integers in ``[-1, 2]``.
    """
    x = random_values(spec.input_shape, seed=seed)
    w = kernel_preset(kernel)
    if w.shape != tuple(spec.kernel_shape):  # type: ignore[arg-type]
        w = random_values(spec.kernel_shape, seed=seed + 1, low=-1, high=2)  # type: ignore[arg-type]
    return x, w


class ConvScene(Scene):
    """Base scene: one convolution (``spec``, ``x``, ``w``) and the render options.

    Parameters
    ----------
    spec
        The convolution; ``None`` uses the class attribute :attr:`default_spec`.
    x, w
        Input and kernel arrays; ``None`` uses :func:`default_arrays` (seeded, preset kernel).
    mode
        ``"numeric"`` (numbers in cells, products and sums) or ``"schematic"`` (no numbers).
        Numeric falls back to schematic when the layout finds numbers unreadable.
    theme
        ``"light"`` (default, white background) or ``"dark"``, or a :class:`Theme`.
    lang
        ``"en"`` or ``"es"``: every on-screen label.
    step_time
        Seconds for one fully shown step (> 0); other timings scale with it.

    Attributes
    ----------
    spec, x, w, mode, theme, lang, step_time
        The validated options.
    input_grid, kernel_grid, output_grid : CellGrid or None
        The main mobjects, set by ``construct`` (for tests and subclasses).
    records : list of dict
        What the scene drew, appended by :meth:`record` (e.g. per step: the window's cells).

    Raises
    ------
    ValueError
        (or :class:`convmath.ConvMathError`, a ``ValueError``) naming the bad option, or
        from :meth:`check_spec` when ``spec`` is too large to draw legibly.
    """

    default_spec: ClassVar[ConvSpec] = ConvSpec((5, 5), 3, stride=2, padding=1)
    default_seed: ClassVar[int] = 0
    default_kernel: ClassVar[str] = "sobel-x"

    def __init__(
        self,
        spec: ConvSpec | None = None,
        x: ArrayLike | None = None,
        w: ArrayLike | None = None,
        *,
        mode: str = "numeric",
        theme: str | Theme = "light",
        lang: str = "en",
        step_time: float = 1.0,
        **kwargs: Any,
    ) -> None:
        spec = type(self).default_spec if spec is None else spec
        if not isinstance(spec, ConvSpec):
            raise ValueError(f"spec={spec!r} is invalid: spec must be a convmath.ConvSpec")
        if mode not in MODES:
            raise ValueError(f"mode={mode!r} is invalid: mode must be 'numeric' or 'schematic'")
        type(self).check_spec(spec, mode)  # before any array is made: large specs stop here
        if lang not in LANGS:
            raise ValueError(f"lang={lang!r} is invalid: lang must be one of 'en', 'es'")
        if (
            not isinstance(step_time, numbers.Real)
            or isinstance(step_time, bool)
            or not np.isfinite(step_time)
            or step_time <= 0
        ):
            raise ValueError(f"step_time={step_time!r} is invalid: step_time must be a number > 0")
        dx, dw = default_arrays(spec, type(self).default_seed, type(self).default_kernel)
        self.spec = spec
        self.x = dx if x is None else check_array("x", x, spec.input_shape, "spec.input_shape")
        self.w = (
            dw if w is None
            else check_array("w", w, spec.kernel_shape, "spec.kernel_shape")  # type: ignore[arg-type]
        )
        self.mode = mode
        self.theme = get_theme(theme)
        self.lang = lang
        self.step_time = float(step_time)
        self.input_grid = None
        self.kernel_grid = None
        self.output_grid = None
        self.records: list[dict[str, Any]] = []
        super().__init__(**kwargs)

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """Raise :class:`convmath.ConvMathError` if ``spec`` is too large to draw legibly.

        Scenes override this with their limit, computed from the layout their ``construct``
        plans at the reference 480p frame (see :func:`scenes.layout.check_cells`); the message
        names the value and the limit. The CLI calls it before rendering and
        :meth:`__init__` calls it too. The base scene has no limit.
        """

    # -- set-up ------------------------------------------------------------------------------------

    def setup(self) -> None:
        """Paint the theme's background (runs before ``construct``)."""
        super().setup()
        self.camera.background_color = self.theme.background

    # -- helpers for subclasses ----------------------------------------------------------------

    @property
    def numeric(self) -> bool:
        """Whether numbers were asked for (the layout may still drop them)."""
        return self.mode == "numeric"

    def label(self, key: str, **fmt: object) -> str:
        """The on-screen string ``key`` in this scene's language (:func:`convmath.text`)."""
        return text(key, self.lang, **fmt)

    @staticmethod
    def frame_size() -> tuple[float, float]:
        """``(frame_width, frame_height)`` of the current render configuration."""
        return float(config.frame_width), float(config.frame_height)

    def plan(self, columns, **kwargs: Any) -> Layout:
        """:func:`scenes.layout.plan` for the current frame and this scene's mode."""
        fw, fh = self.frame_size()
        kwargs.setdefault("numeric", self.numeric)
        return plan(columns, frame_width=fw, frame_height=fh, **kwargs)

    def plan_best(self, arrangements, **kwargs: Any) -> tuple[int, Layout]:
        """:func:`scenes.layout.plan_best` for the current frame and this scene's mode."""
        fw, fh = self.frame_size()
        kwargs.setdefault("numeric", self.numeric)
        return plan_best(arrangements, frame_width=fw, frame_height=fh, **kwargs)

    def text_row(self, s: str, box: Box, font_size: float, *, muted: bool = False,
                 color: str | None = None, align: str = "center"):
        """A line of text in the theme's (muted) text colour, fitted into ``box``."""
        c = color or (self.theme.muted_text if muted else self.theme.text)
        return text_row(s, box, font_size, c, align=align)

    def record(self, kind: str, **data: Any) -> None:
        """Note something drawn (``kind`` plus data) in :attr:`records` for tests."""
        self.records.append({"kind": kind, **data})

    def records_of(self, kind: str) -> list[dict[str, Any]]:
        """The records of one kind, in drawing order."""
        return [r for r in self.records if r["kind"] == kind]
