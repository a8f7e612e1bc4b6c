"""`FeatureMaps`: feature maps of a real image — what edge, blur, sharpen and colour filters do.

The image (``image=PATH``, any format Pillow reads; default: :func:`scenes.images.default_image`,
drawn in code) is sampled down to a grid (:func:`scenes.images.image_grid`) and turned grey by a
1×1 convolution over its R, G, B channels (:func:`scenes.images.luma`). Three screens: the edge
kernel sweeps the grey grid (the first row step by step, then faster) while the feature map fills
in; the preset kernels side by side (edges, blur, sharpen) on the same image; and a 1×1
convolution over R, G, B with weights ``(1, −½, −½)`` that brings out the red regions (seed 000's
"a filter that brings out regions of one colour"). Every value comes from ``convmath``
(``conv_steps``, ``convolve``); cells are drawn as grey levels (no numbers: an image is read by
its shades).

Run with defaults: ``manim -ql scenes/features.py FeatureMaps``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from manim import FadeIn, Square, Transform, VGroup

from convmath import (
    ConvSpec,
    conv_steps,
    convolve,
    grid_input_index,
    grid_values,
    kernel_preset,
)
from convmath.explain import format_shape
from scenes.images import default_image, image_grid, load_image, luma
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid
from scenes.kit.pacing import Pacer, Phase, plan_pacing
from scenes.kit.text import text_lines
from scenes.kit.theme import blend
from scenes.layout import (
    Box,
    Layout,
    fit_font,
    readable,
    value_chars,
)
from scenes.plans import features as features_plan

__all__ = ["FeatureMaps", "PRESETS", "COLOUR_WEIGHTS", "LEVELS", "shades"]

#: The kernels compared side by side: (wording key, preset name).
PRESETS: tuple[tuple[str, str], ...] = (
    ("features_edges", "sobel-x"), ("features_blur", "box-blur"), ("features_sharpen", "sharpen"),
)
#: The 1×1 weights over (R, G, B) that bring out red.
COLOUR_WEIGHTS = (1.0, -0.5, -0.5)
#: Grey levels a map is drawn with (few colours: small GIFs, one path per level).
LEVELS = 16


def shades(values: np.ndarray, ink: str = "#FFFFFF", dark: str = "#000000", *,
           limits: tuple[float, float] | None = None) -> list[str]:
    """One colour per cell (row-major): ``values`` from ``limits`` (default: their 1st to 99th
    percentile, so a few extreme cells do not wash the rest out) onto :data:`LEVELS` steps from
    ``dark`` to ``ink``, clipped; a constant map is mid-way."""
    v = np.asarray(values, dtype=float).ravel()
    lo, hi = limits if limits is not None else (float(np.percentile(v, 1)),
                                                 float(np.percentile(v, 99)))
    t = np.full(v.shape, 0.5) if hi - lo < 1e-12 else np.clip((v - lo) / (hi - lo), 0.0, 1.0)
    q = np.round(t * (LEVELS - 1)) / (LEVELS - 1)
    return [blend(ink, dark, float(a)) for a in q]


#: Image values (grey levels and colour channels) are in [0, 1].
IMAGE_LIMITS = (0.0, 1.0)


def image_spec(rgb: np.ndarray) -> ConvSpec:
    """The spec of an RGB grid ``(3, rows, cols)``: three input channels, one output, the
    kernel's 3×3 (the scene's arrays are the image's channels)."""
    return ConvSpec(tuple(rgb.shape[1:]), 3, in_channels=3, out_channels=1)


class FeatureMaps(ConvScene):
    """Feature maps of an image (module docstring).

    Parameters (besides :class:`ConvScene`'s): ``x`` is the image's R, G, B grid ``(3, rows,
    cols)`` in [0, 1] with ``spec`` :func:`image_spec` (the CLI's ``--image``); or ``image`` (a
    path Pillow reads) and ``image_size`` (cells on its longer side, 3 to
    :data:`scenes.images.MAX_GRID_SIDE`); neither: the default image. ``w`` is not drawn: the
    kernels are the presets (:data:`PRESETS`).

    Facts logged: ``"maps"`` (``name → feature map`` for the presets and ``"red"``).
    """

    image: ClassVar[str | None] = None
    image_size: ClassVar[int] = 24

    def __init__(self, spec: ConvSpec | None = None, x: Any = None, w: Any = None, *,
                 image: str | None = None, image_size: int | None = None, **kwargs: Any) -> None:
        path = type(self).image if image is None else image
        if path is not None or x is None:  # an image file, or the default image
            size = type(self).image_size if image_size is None else image_size
            x = image_grid(default_image() if path is None else load_image(path), size)
            spec = image_spec(x)
        spec = image_spec(np.asarray(x)) if spec is None else spec
        super().__init__(spec, x, w, **kwargs)
        self.rgb = self.x
        grey = luma(self.rgb)
        self.grey_spec = ConvSpec(grey.shape, 3)
        self.grey = grey

    # -- plan (scenes.plans.features: static, manim-free) ----------------------------------

    plan_layout = staticmethod(features_plan.plan_layout)

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """:func:`scenes.plans.features.check_spec`: an image spec (:func:`image_spec`) whose
        cells are at least 6 px at 480p on every screen, the message naming this class."""
        features_plan.check_spec(spec, mode, name=cls.__name__)

    # -- the story --------------------------------------------------------------------------

    def construct(self) -> None:
        self._build()
        self._preview()
        self._sweep()
        self._presets()
        self._colour()
        self.close()

    def _build(self) -> None:
        s, kernel = self.grey_spec, kernel_preset(PRESETS[0][1])
        self.sweep_kernel = kernel
        self.steps = conv_steps(self.grey, kernel, s)
        self.result = convolve(self.grey, kernel, s)
        self.maps = {p: convolve(self.grey, kernel_preset(p), s) for _, p in PRESETS}
        c = ConvSpec(s.input_shape, 1, in_channels=3, out_channels=1)
        self.maps["red"] = convolve(self.rgb, np.array(COLOUR_WEIGHTS).reshape(1, 3, 1, 1), c)[0]
        self.record("maps", **{k: v.copy() for k, v in self.maps.items()})
        fw, fh = self.frame_size()
        self.layout = self.plan_layout(s, frame_width=fw, frame_height=fh)
        self.text_font = self.layout.text_font

    def _grid(self, values, slot, colors=None, role="input", kinds=None) -> CellGrid:
        """A grid of grey levels (or ``colors``) of ``values``, in layout slot ``slot``."""
        return CellGrid(values.shape, slot.cell, theme=self.theme, role=role,
                        kinds=kinds, colors=shades(values) if colors is None else colors,
                        tint=False, center=slot.box.center, stroke_width=0.5)

    def _captions(self, strings: list[str], lay: Layout, boxes: list | None = None) -> None:
        mobs = text_lines(strings, boxes or [g.caption for g in lay.grids], lay.caption_font,
                          self.theme.ink("text"))
        for n, (mob, text) in enumerate(zip(mobs, strings)):
            self.narration.show(f"cap{n}", mob, text, kind="label")

    def _preview(self) -> None:
        s, lay = self.grey_spec, self.layout
        gimg, gk, gout = lay.grids
        kinds = grid_input_index(s)
        padded = grid_values(self.grey, s)
        self.input_grid = CellGrid(s.grid_shape, lay.cell, theme=self.theme, kinds=kinds,
                                   colors=shades(padded, limits=IMAGE_LIMITS), tint=False,
                                   center=gimg.box.center, stroke_width=0.5)
        self.kernel_grid = self._kernel(gimg, gk, gout)
        gap = gout.box.left - gimg.box.right
        legend = self._legend(gk, gap)
        k_top = self.kernel_grid.get_top()[1]
        k_caption = Box(gk.box.x, k_top + 0.6 * gk.caption.height, 0.95 * gap,
                        gk.caption.height)
        self.output_grid = CellGrid(s.output_shape, lay.cell, theme=self.theme, role="output",
                                    filled=False, center=gout.box.center, stroke_width=0.5)
        self.say("title", self.label("features_title"), lay.top[0], kind="title")
        self._captions([self.label("features_image_caption", shape=format_shape(s.input_shape)),
                        self.label("features_kernel_caption", preset=PRESETS[0][1]),
                        self.label("features_map_caption")], lay,
                       boxes=[gimg.caption, k_caption, gout.caption])
        self.window = self.input_grid.get_window(self.steps[0], stroke_width=2.0)
        self.preview(self.input_grid, self.kernel_grid, self.output_grid, self.window, legend,
                     parts=("title", "grids", "window", "kernel values", "legend"))
        self.say("what", self.label("features_sweep_note"), lay.bottom[0])
        self.wait(0.5 * self.step_time)

    def _kernel(self, gimg, gk, gout) -> CellGrid:
        """The sweep's kernel (sobel-x) with its numbers: cells as large as the gap between the
        image and the map allows (the image's own cells are too small for digits)."""
        lay, fh = self.layout, self.frame_size()[1]
        gap = gout.box.left - gimg.box.right
        cell = max(lay.cell, min(0.75 * gap / 3, 0.22 * gimg.box.height))
        font = fit_font(cell, value_chars(self.sweep_kernel), fh)
        self.record("kernel", values=self.sweep_kernel.copy(), cell=cell, font=font,
                    readable=readable(font, fh, 480.0))
        return CellGrid(self.grey_spec.kernel_shape, cell, theme=self.theme, role="kernel",
                        values=self.sweep_kernel, value_font=font, center=gk.box.center)

    def _legend(self, gk, gap: float) -> VGroup:
        """Under the kernel: the map's grey scale, three swatches (dark, mid, light) named
        negative, 0, positive (a symmetric scale: 0 is the middle grey)."""
        m = float(np.percentile(np.abs(self.result), 99)) or 1.0
        self.map_limits = (-m, m)
        colors = shades(np.array([-m, 0.0, m]), limits=self.map_limits)
        side = self.kernel_grid.cell_size * 0.55
        top = self.kernel_grid.get_bottom()[1] - 0.4 * side
        font = self.layout.caption_font
        out = VGroup()
        words = [self.label(k) for k in ("features_negative", "features_zero",
                                         "features_positive")]
        width = max(1.15 * side, 0.95 * gap / 3)
        for n, (c, word) in enumerate(zip(colors, words)):
            x = gk.box.x + (n - 1) * width
            sq = Square(side_length=side).set_fill(c, opacity=1.0).set_stroke(
                self.theme.grid_stroke, width=1).move_to([x, top - side / 2, 0])
            label = self.text_row(word, Box(x, top - side - 0.2, width * 0.98, 0.3), font,
                                  muted=True)
            out.add(sq, label)
        self.record("legend", colors=colors, words=words, limits=self.map_limits)
        return out

    # -- the sweep (StepView) ---------------------------------------------------------------

    def _sweep(self) -> None:
        s = self.grey_spec
        out = [st.out_index for st in self.steps]
        self.map_colors = shades(self.result, limits=self.map_limits)
        self.written: set[tuple[int, ...]] = set()
        cols = s.output_shape[1]
        Pacer(self, self).run(plan_pacing(out, full=1, max_fast=min(12, cols - 1)))
        self.narration.clear()

    def land(self, steps: tuple[int, ...], jump: bool) -> list:
        cells = list(dict.fromkeys(t.grid_index for n in steps for t in self.steps[n].taps))
        new = self.input_grid.get_window(cells, stroke_width=2.0)
        if jump or len(steps) > 1 or len(new.points) != len(self.window.points):
            self.remove(self.window)
            self.window = new
            self.add(new)
            return []
        return [Transform(self.window, new)]

    def where(self, step: int):
        st = self.steps[step]
        cells = tuple(t.grid_index for t in st.taps)
        return st.out_index, cells, tuple(tuple(self.input_grid.cell_center(c)) for c in cells)

    def products(self, step: int) -> list[str] | None:
        return None  # an image is read by its shades: no numbers

    def write(self, steps: tuple[int, ...]) -> list:
        og, cols = self.output_grid, self.grey_spec.output_shape[1]
        sq = []
        for n in steps:
            idx = self.steps[n].out_index
            s = Square(side_length=og.cell_size).move_to(og.cell_center(idx))
            s.set_fill(self.map_colors[idx[0] * cols + idx[1]], opacity=1.0).set_stroke(width=0)
            sq.append(s)
            self.written.add(idx)
        return [FadeIn(VGroup(*sq))]

    def result_text(self, step: int) -> str | None:
        return None

    def announce(self, phase: Phase) -> None:
        self.narration.clear("pace")
        key = "pace_fast" if phase.kind == "fast" else "pace_rows"
        self.say("pace", self.label(key, n=len(phase.steps)), self.layout.bottom[1],
                 role="muted_text")

    # -- presets side by side, the colour filter ---------------------------------------------

    def _screen(self, name: str, grids: list[CellGrid], captions: list[str], lay: Layout,
                note: str) -> None:
        """A new screen by a cut: its grids, captions and a note."""
        self.narration.clear()
        self.clear()
        self.mark(name)
        self.say("title", self.label("features_title"), lay.top[0], kind="title")
        self._captions(captions, lay)
        self.add(*grids)
        self.say("what", note, lay.bottom[0])
        self.narration.settle()

    def _presets(self) -> None:
        fw, fh = self.frame_size()
        lay = self.plan_layout(self.grey_spec, frame_width=fw, frame_height=fh, screen="presets")
        grids = [self._grid(self.grey, lay.grids[0],
                            colors=shades(self.grey, limits=IMAGE_LIMITS))]
        grids += [self._grid(self.maps[p], g, colors=shades(  # sobel-x: 0 mid grey, as its legend
            self.maps[p], limits=self.map_limits if p == PRESETS[0][1] else None))
            for (_, p), g in zip(PRESETS, lay.grids[1:])]
        captions = [self.label("features_image_short")]
        captions += [self.label(key, preset=p) for key, p in PRESETS]
        self._screen("presets", grids, captions, lay, self.label("features_presets_note"))

    def _colour(self) -> None:
        fw, fh = self.frame_size()
        lay = self.plan_layout(self.grey_spec, frame_width=fw, frame_height=fh, screen="colour")
        hues = ("#FF2020", "#20D040", "#3060FF")
        grids = [self._grid(self.rgb[c], g, colors=shades(self.rgb[c], ink=hues[c],
                                                          limits=IMAGE_LIMITS))
                 for c, g in enumerate(lay.grids[:3])]
        grids.append(self._grid(self.maps["red"], lay.grids[3]))
        captions = [self.label(k) for k in ("features_r", "features_g", "features_b")]
        captions.append(self.label("features_red_caption"))
        self._screen("colour", grids, captions, lay, self.label("features_colour_note"))
