"""`ConvScene`: the base of every convanim scene (inputs, options, log, narration, marks).

A scene takes its parameters as constructor arguments, as class attributes (the manim way of
parameterising a scene by subclassing) or from its catalog defaults::

    manim -ql scenes/sliding.py SlidingFilter          # the catalog's defaults
    SlidingFilter(spec, x, w, mode="schematic", theme="dark", lang="es").render()
    SlidingFilter(inputs=ConvInputs.make(spec)).render()

    class SlidingEs(SlidingFilter):                      # manim -ql my.py SlidingEs
        lang = "es"

Nothing here touches ``manim.config`` at import time; the frame size is read when a scene plans
its layout.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
from manim import ManimColor, Mobject, Scene, config
from numpy.typing import ArrayLike

from convmath import ConvMathError, ConvSpec
from convmath.i18n import LANGS
from scenes.catalog import entry_for_class
from scenes.inputs import ConvInputs, SceneDefaults
from scenes.kit import fastpaths
from scenes.kit.layers import LayerCamera, split
from scenes.kit.log import CLOSING_HOLD, ClosingHold, Fact, Preview, SceneLog, Section
from scenes.kit.members import FamilyMemo
from scenes.kit.narration import Narration
from scenes.kit.text import text_line
from scenes.kit.theme import Theme, get_theme
from scenes.kit.weights import KernelWeights
from scenes.layout import (
    Layout,
    plan,
    plan_best,
)
from scenes.pipeline.options import MODES  # the one vocabulary (imports no manim)
from scenes.plans import check_planned_cells
from scenes.wording import text

fastpaths.install()  # manim's family walk and copy, faster, same results (issue 20)

__all__ = ["ConvScene", "MODES", "scene_defaults"]


def scene_defaults(cls: type) -> SceneDefaults:
    """The defaults a scene class draws when given no spec or arrays: its catalog entry's
    (:func:`scenes.catalog.entry_for_class`, a subclass inherits its base's), else — a scene not
    in the catalog, such as a test's — one made of the class attributes ``default_spec``,
    ``default_kernel``, ``default_seed``. The CLI reads the same entry, so ``manim … Scene`` and
    ``convanim render`` draw the same arrays."""
    try:
        return entry_for_class(cls).defaults
    except ConvMathError:
        return SceneDefaults(cls.default_spec, cls.default_kernel, cls.default_seed)


class ConvScene(Scene):
    """Base scene: one convolution (``spec``, ``x``, ``w``) and the render options.

    Parameters
    ----------
    spec
        The convolution; ``None`` uses the scene's defaults (:func:`scene_defaults`).
    x, w
        Input and kernel arrays; ``None`` fills them from the defaults
        (:meth:`scenes.inputs.ConvInputs.make`: seeded small integers, the kernel preset).
        With channels they have ``spec.x_shape`` and ``spec.w_shape``.
    bias
        ``(out_channels,)`` values added to each output channel, or ``None`` (the defaults'
        bias for their own spec, else none).
    inputs
        A :class:`scenes.inputs.ConvInputs` (anything with ``spec``, ``x``, ``w``) instead of
        ``spec``, ``x``, ``w``.
    mode
        ``"numeric"`` (numbers in cells, products and sums) or ``"schematic"`` (no numbers).
        Numeric falls back to schematic when the layout finds numbers unreadable. Default: the
        class attribute :attr:`mode`.
    theme
        ``"light"`` (white background) or ``"dark"``, or a :class:`Theme`; default the class
        attribute :attr:`theme`.
    lang
        ``"en"`` or ``"es"``: every on-screen label; default the class attribute :attr:`lang`.
    step_time
        Seconds for one fully shown step (> 0); motion scales with it (reading times do not).

    Attributes
    ----------
    spec, x, w, bias, mode, theme, lang, step_time
        The validated options (``theme`` a :class:`Theme`).
    log : scenes.kit.log.SceneLog
        What the scene drew and when (tests read it; :meth:`SceneLog.violations` checks the
        rules).
    narration : scenes.kit.narration.Narration
        Says and replaces the scene's texts.
    input_grid, kernel_grid, output_grid : CellGrid or None
        The main mobjects, set by ``construct``.

    Raises
    ------
    ValueError
        (or :class:`convmath.ConvMathError`, a ``ValueError``) naming the bad option, or
        from :meth:`check_spec` when ``spec`` is too large to draw legibly.
    """

    default_spec: ClassVar[ConvSpec] = ConvSpec((5, 5), 3, stride=2, padding=1)
    default_seed: ClassVar[int] = 0
    default_kernel: ClassVar[str] = "sobel-x"
    mode: ClassVar[str] = "numeric"
    theme: Any = "light"
    lang: ClassVar[str] = "en"

    def __init__(
        self,
        spec: ConvSpec | None = None,
        x: ArrayLike | None = None,
        w: ArrayLike | None = None,
        *,
        bias: ArrayLike | None = None,
        inputs: Any = None,
        mode: str | None = None,
        theme: str | Theme | None = None,
        lang: str | None = None,
        step_time: float = 1.0,
        **kwargs: Any,
    ) -> None:
        cls = type(self)
        if inputs is not None:
            if spec is not None or x is not None or w is not None:
                raise ValueError("inputs is invalid together with spec, x or w: give one of them")
            spec, x, w = inputs.spec, inputs.x, inputs.w
            bias = getattr(inputs, "bias", None) if bias is None else bias
        mode = cls.mode if mode is None else mode
        theme = cls.theme if theme is None else theme
        lang = cls.lang if lang is None else lang
        defaults = scene_defaults(cls)
        spec = defaults.spec if spec is None else spec
        if not isinstance(spec, ConvSpec):
            raise ValueError(f"spec={spec!r} is invalid: spec must be a convmath.ConvSpec")
        if mode not in MODES:
            raise ValueError(f"mode={mode!r} is invalid: mode must be 'numeric' or 'schematic'")
        cls.check_spec(spec, mode)  # before any array is made: large specs stop here
        if lang not in LANGS:
            raise ValueError(f"lang={lang!r} is invalid: lang must be one of 'en', 'es'")
        if (
            not isinstance(step_time, numbers.Real)
            or isinstance(step_time, bool)
            or not np.isfinite(step_time)
            or step_time <= 0
        ):
            raise ValueError(f"step_time={step_time!r} is invalid: step_time must be a number > 0")
        self.spec = spec
        inp = ConvInputs.make(spec, x, w, defaults=defaults, bias=bias)
        self.inputs = inp
        self.x, self.w = np.array(inp.x), np.array(inp.w)
        # How every view writes the weights: a kernel of fractions as its integers, the factor
        # said once (issue 12 #7; scenes.kit.weights).
        self.weights = KernelWeights(self.w)
        self.bias = None if inp.bias is None else np.array(inp.bias)
        self.mode = mode
        self.theme = get_theme(theme)
        self.lang = lang
        self.step_time = float(step_time)
        self.input_grid = None
        self.kernel_grid = None
        self.output_grid = None
        self.log = SceneLog()
        self.narration = Narration(self)
        self.text_font = 24.0
        kwargs.setdefault("camera_class", LayerCamera)
        super().__init__(**kwargs)

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """Raise :class:`convmath.ConvMathError` if ``spec`` is too large to draw legibly.

        Scenes override this with their limit, computed from the layout their ``construct``
        plans at the reference 480p frame (see :func:`scenes.layout.check_cells`); the message
        names the value and the limit. The CLI calls it before rendering and
        :meth:`__init__` calls it too. The base scene has no limit.
        """

    @classmethod
    def check_planned_cells(cls, spec: ConvSpec, describe: Callable[[ConvSpec], str],
                            layout_of: Callable[[Any], Layout] = lambda plan: plan) -> None:
        """The usual :meth:`check_spec` for a scene with a static ``plan_layout(spec,
        frame_width=, frame_height=, numeric=False)``: :func:`scenes.plans.check_planned_cells`
        with this class's name and planner (the catalog's scenes call their manim-free
        ``scenes.plans`` modules directly). ``describe(spec)`` names the grid with the smallest
        cells for the message; ``layout_of`` picks the :class:`Layout` out of what
        ``plan_layout`` returns.

        Raises :class:`convmath.ConvMathError` (see :func:`scenes.layout.check_cells`)."""
        check_planned_cells(cls.__name__, spec, cls.plan_layout,  # type: ignore[attr-defined]
                            describe, layout_of)

    # -- set-up ------------------------------------------------------------------------------

    def setup(self) -> None:
        """Paint the theme's background (runs before ``construct``) as a ``ManimColor``."""
        super().setup()
        self.camera.background_color = ManimColor(self.theme.background)

    def begin_animations(self) -> None:
        """manim's ``Scene.begin_animations`` (each animation set up in the scene and begun,
        then the picture split into moving and static), with the scene's family walked once
        for all the set-ups (:class:`scenes.kit.members.FamilyMemo`), not once or twice per
        animation."""
        self._family_memo = FamilyMemo(self)
        try:
            for animation in self.animations:
                animation._setup_scene(self)
                animation.begin()
                self._family_memo.begun(animation.mobject)
        finally:
            self._family_memo = None
        self.moving_mobjects, self.static_mobjects = self.get_moving_and_static_mobjects(
            self.animations)

    def get_mobject_family_members(self) -> list[Mobject]:
        memo = getattr(self, "_family_memo", None)
        return super().get_mobject_family_members() if memo is None else memo.members()

    def add(self, *mobjects: Mobject) -> ConvScene:
        memo = getattr(self, "_family_memo", None)
        if memo is not None and memo.add(mobjects):
            return self
        return super().add(*mobjects)

    def get_moving_and_static_mobjects(self, animations):
        """manim's split of the picture into what is drawn once per ``play`` and what every
        frame, with the static runs after the first moving mobject drawn once too
        (:func:`scenes.kit.layers.split`; a scene given another camera keeps manim's split)."""
        if isinstance(self.renderer.camera, LayerCamera):
            return split(self, animations)
        return super().get_moving_and_static_mobjects(animations)

    # -- helpers for subclasses ------------------------------------------------------------

    @property
    def numeric(self) -> bool:
        """Whether numbers were asked for (the layout may still drop them)."""
        return self.mode == "numeric"

    def kernel_caption(self, caption: str) -> str:
        """``caption`` of a kernel (or of a matrix of its weights) with the factor of a kernel
        of fractions said: ``kernel 3×3 (× 1/9)`` (:class:`~scenes.kit.weights.KernelWeights`)."""
        return self.weights.caption(caption, self.lang)

    def label(self, key: str, **fmt: object) -> str:
        """The on-screen string ``key`` in this scene's language (:mod:`scenes.wording`)."""
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

    def text_row(self, s: str, box, font_size: float, *, muted: bool = False,
                 color: str | None = None, align: str = "center") -> Mobject:
        """A line of text fitted into ``box`` (not shown, not logged), in the ink of the theme's
        (muted) text or of ``color``: :func:`scenes.kit.text.text_line` with contrast kept.
        Scenes on the narration use :meth:`say` instead."""
        c = self.theme.ink(color or ("muted_text" if muted else "text"))
        return text_line(s, box, font_size, c, align=align)

    def say_pace(self, phase: Any, box) -> Mobject:
        """Say in ``box`` how the run goes on from ``phase`` (a :class:`Phase` of
        :func:`plan_pacing`): n quicker steps, whole rows (2D) or stretches of k (1D)."""
        n = len(phase.steps)
        if phase.kind == "fast":
            key, fmt = "pace_fast", {"n": n}
        elif self.spec.ndim == 2:
            key, fmt = "pace_rows", {"n": n}
        else:
            key, fmt = "pace_stretch", {"n": n, "k": len(phase.groups[0])}
        return self.say("pace", self.label(key, **fmt), box, role="muted_text")

    def say(self, slot: str, s: str, box, **kw: Any) -> Mobject:
        """:meth:`Narration.say`: show ``s`` in ``slot`` (reading time and hard cut kept)."""
        return self.narration.say(slot, s, box, **kw)

    def record(self, kind: str, **data: Any) -> None:
        """Log a scene's own fact (``kind`` plus data) at the current time."""
        self.log.add(Fact(self.time, self.time, kind=kind, data=data))

    def records_of(self, kind: str) -> list[Fact]:
        """The facts of one kind, in drawing order (each reads like a dict: ``f["step"]``)."""
        return self.log.facts(kind)

    # -- the shape of every scene: preview, marked steps, closing hold ----------------------

    def preview(self, *mobjects: Mobject, parts: tuple[str, ...] = ()) -> None:
        """Add the first frame at once (blogs show it before the GIF plays) and log it;
        ``parts`` names what it shows (``"title"``, ``"window"`` …)."""
        self.add(*mobjects)
        self.log.add(Preview(self.time, self.time, parts=tuple(parts)))

    def mark(self, name: str) -> None:
        """Start a section (``manim --save_sections``: one clip per step) and log it."""
        self.next_section(name)
        self.log.add(Section(self.time, self.time, name=name))

    def close(self, seconds: float = CLOSING_HOLD) -> None:
        """The closing frame: let every text be read, then hold ``seconds`` (at least
        :data:`scenes.kit.log.CLOSING_HOLD`) with nothing changing."""
        self.narration.settle()
        self.mark("closing")
        t0 = self.time
        hold = max(float(seconds), CLOSING_HOLD)
        while self.time - t0 < hold - 1e-6:  # scene time advances by whole frames
            self.wait(max(hold - (self.time - t0), 1.0 / float(config.frame_rate)))
        self.log.add(ClosingHold(t0, self.time))
