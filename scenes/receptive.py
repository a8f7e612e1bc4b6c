"""`ReceptiveField` and `StackComparison`: receptive fields across stacked layers.

``ReceptiveField`` draws the levels of a stack one above the other (1D: one row per level, every
cell at the centre of its field in input coordinates, so a stride leaves gaps that show the jump;
2D: one grid per level, the input on the left), picks an output cell of the top layer and grows
its field down the stack, level by level, writing the field's size, jump and first and last cell
from :func:`convmath.receptive_windows`; a stride says how it multiplies the jump, a dilation how
it widens the field with the same weights. It ends on the size formula
``r = 1 + Σ (k_eff − 1)·j`` with this stack's numbers (:func:`convmath.size_terms`).

``StackComparison`` compares, on the input, the field of three small layers with one large
kernel of the same field (and their weight counts), then with dilations 1-2-4
(:func:`convmath.comparison_stacks`, :func:`convmath.parameter_count`) on the spec's input,
grown where needed to the widest field (15 for three 3-kernels).

A stack is given as ``stack=`` (a :class:`scenes.stack_inputs.LayerStack` or a sequence of
specs) or ``inputs=`` a ``LayerStack``; a single ``spec`` (and with none, the catalog's default
spec) is stacked as often as it fits (up to three times). Run with the defaults:
``manim -ql scenes/receptive.py ReceptiveField``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from manim import DashedLine, DashedVMobject, Line, Polygon, Rectangle, Square, VGroup

from convmath import (
    ConvSpec,
    build_stack,
    comparison_stacks,
    parameter_count,
    receptive_window,
    receptive_windows,
    size_terms,
    stack_fields,
)
from convmath.fmt import format_axes, format_index, format_int, format_padding, format_shape
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid
from scenes.layout.stack import TILT
from scenes.plans import receptive as receptive_plan
from scenes.plans.receptive import (
    compare_input_shape,
    compare_kernel,
    picked_cell,
    plan_compare,
    plan_grids,
    plan_rows,
    positions,
)
from scenes.stack_inputs import LayerStack

__all__ = ["ReceptiveField", "StackComparison", "MIXED_STACK", "positions", "picked_cell",
           "plan_rows"]

#: A stack that shows both effects: a 3-kernel, a strided one (the jump doubles), a dilated one
#: (the field widens with the same three weights). 16 → 14 → 6 → 2 cells; field 13. Draw it with
#: ``ReceptiveField(stack=MIXED_STACK)`` (the catalog's default is one spec, stacked).
MIXED_STACK: tuple[ConvSpec, ...] = build_stack((16,), [3, (3, 2), (3, 1, 0, 2)])


def _stack_of(stack: Any, inputs: Any, spec: ConvSpec | None) -> LayerStack:
    if isinstance(inputs, LayerStack):
        return inputs
    if stack is not None:
        return stack if isinstance(stack, LayerStack) else LayerStack.of(stack)
    if inputs is not None:
        spec = inputs.spec
    if spec is None:  # the catalog's default spec (the one source of defaults), stacked
        from scenes.kit.base import scene_defaults

        spec = scene_defaults(ReceptiveField).spec
    return LayerStack.repeat(spec)


class ReceptiveField(ConvScene):
    """A stack's levels; one top cell's field grown down to the input (module docstring)."""

    def __init__(self, spec: ConvSpec | None = None, x: Any = None, w: Any = None, *,
                 stack: Any = None, inputs: Any = None, **kwargs: Any) -> None:
        self.stack = _stack_of(stack, inputs, spec)
        self.check_stack(self.stack, kwargs.get("mode") or "schematic")
        super().__init__(self.stack.spec, **kwargs)

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """:func:`scenes.plans.receptive.check_spec`: ``spec`` stacked as often as it fits."""
        receptive_plan.check_spec(spec, mode)

    @classmethod
    def check_stack(cls, stack: LayerStack, mode: str = "schematic") -> None:
        """Refuse stacks whose cells would be too small at 480p
        (:func:`scenes.plans.receptive.check_stack`)."""
        receptive_plan.check_stack(stack, mode)

    # -- the story ---------------------------------------------------------------------------

    def construct(self) -> None:
        self._build()
        self.mark("pick")
        self.say("caption", self.label("rf_pick", i=format_index(self.picked)),
                 self.lay.bottom[0])
        self.narration.settle()
        above = [self.picked]
        for q, win in enumerate(self.windows):
            above = self._grow(q, win, above)
        self._formula()
        self.close()

    def _build(self) -> None:
        st = self.stack
        fw, fh = self.frame_size()
        self.one_d = st.spec.ndim == 1
        self.lay = (plan_rows(st, frame_width=fw, frame_height=fh) if self.one_d
                    else plan_grids(st, frame_width=fw, frame_height=fh))
        self.text_font = self.lay.text_font
        self.picked = picked_cell(st)
        self.windows = receptive_windows(st.specs, self.picked)
        self.pos = positions(st)
        self.fields = stack_fields(st.specs)
        self.grids: dict[int, CellGrid] = {}
        levels = VGroup(*(self._level(n) for n in range(len(st.specs) + 1)))
        top = len(st.specs)
        self.top_cell = self._cell(top, self.picked, self.theme.fill("kernel"))
        self.say("title", self.label("rf_title", n=format_int(len(st.specs))), self.lay.top[0],
                 kind="title")
        self.preview(levels, self.top_cell, parts=("title", "levels", "cell"))
        self.wait(1.5)

    def _level_label(self, n: int) -> str:
        if n == 0:
            return self.label("rf_level_input")
        sp = self.stack.specs[n - 1]
        key = "rf_level_layer_p" if any(v for pair in sp.pads for v in pair) else "rf_level_layer"
        return self.label(key, n=n, k=format_axes(sp.kernel_shape),
                          s=format_axes(sp.stride), d=format_axes(sp.dilation),
                          p=format_padding(sp.pads))

    def _level(self, n: int) -> VGroup:
        """Level ``n``'s cells (the input is level 0) and its label."""
        shape = self.stack.input_shape if n == 0 else self.stack.specs[n - 1].output_shape
        role = "input" if n == 0 else "output"
        if self.one_d:
            cells = VGroup(*(self._cell(n, (u,), self.theme.fill(role)) for u in range(shape[0])))
            label = self.text_row(self._level_label(n), self.lay.labels[n], self.lay.label_font,
                                  muted=True, align="right")
            return VGroup(cells, label)
        cx, cy = self.lay.centers[n]
        grid = CellGrid(shape, self.lay.cell, theme=self.theme, role=role,
                        center=np.array([cx, cy, 0.0]))
        self.grids[n] = self._tilted(n, grid)
        label = self.text_row(self._level_label(n), self.lay.labels[n], self.lay.label_font,
                              muted=True, align="right")
        return VGroup(grid, label)

    def _flat(self, n: int, index: tuple[float, ...]) -> np.ndarray:
        """2D: the centre of cell ``index`` (fractional allowed) of level ``n`` before the tilt."""
        shape = self.stack.input_shape if n == 0 else self.stack.specs[n - 1].output_shape
        (cx, cy), a = self.lay.centers[n], self.lay.cell
        r, c = index
        return np.array([cx + (c - (shape[1] - 1) / 2) * a, cy - (r - (shape[0] - 1) / 2) * a,
                         0.0])

    def _tilted(self, n: int, mob: Any) -> Any:
        """``mob``, drawn in level ``n``'s grid before the tilt, put in perspective."""
        if self.one_d:
            return mob
        (cx, cy), t = self.lay.centers[n], TILT
        return mob.apply_matrix([[t[0][0], t[0][1], 0], [t[1][0], t[1][1], 0], [0, 0, 1]],
                                about_point=np.array([cx, cy, 0.0]))

    def _center(self, n: int, index: tuple[int, ...]) -> np.ndarray:
        if not self.one_d:
            x, y = self.lay.project(n, self._flat(n, index)[:2])
            return np.array([x, y, 0.0])
        off, jump = self.pos[n]
        return np.array([self.lay.x(off + index[0] * jump), self.lay.rows_y[n], 0.0])

    def _cell(self, n: int, index: tuple[int, ...], fill: str, *, dashed: bool = False):
        sq = Square(side_length=self.lay.cell)
        sq.set_fill(fill, opacity=1.0).set_stroke(self.theme.grid_stroke, width=2)
        if not self.one_d:
            return self._tilted(n, sq.move_to(self._flat(n, index)))
        sq.move_to(self._center(n, index))
        if dashed:
            sq.set_fill(opacity=0).set_stroke(self.theme.padding)
            return DashedVMobject(sq, num_dashes=12)
        return sq

    def _corners(self, n: int, lo: tuple[int, ...], hi: tuple[int, ...]) -> list[np.ndarray]:
        """2D: the four drawn corners of the cells ``lo``…``hi`` (inclusive) of level ``n``."""
        out = []
        for r, c in ((lo[0] - 0.5, lo[1] - 0.5), (lo[0] - 0.5, hi[1] + 0.5),
                     (hi[0] + 0.5, hi[1] + 0.5), (hi[0] + 0.5, lo[1] - 0.5)):
            x, y = self.lay.project(n, self._flat(n, (r, c))[:2])
            out.append(np.array([x, y, 0.0]))
        return out

    def _edges(self, level: int, above: list[tuple[int, ...]], cells: list[tuple[int, ...]]):
        """2D: the field's edges from the upper level's field down to this level's (a pyramid)."""
        def span(pts):
            arr = np.array(pts)
            return tuple(arr.min(axis=0)), tuple(arr.max(axis=0))

        top, bottom = self._corners(level + 1, *span(above)), self._corners(level, *span(cells))
        return VGroup(*(Line(a, b, color=self.theme.connector, stroke_width=1.5)
                        for a, b in zip(top, bottom)))

    def _grow(self, q: int, win, above: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
        """Level ``L − 1 − q``: the field of the picked cell there, with its links."""
        st, th = self.stack, self.theme
        level = len(st.specs) - 1 - q
        layer = st.specs[level]
        self.mark(f"level {level}")
        cells = [tuple(int(v) for v in c) for c in np.argwhere(win.mask)]
        marks = VGroup(*(self._cell(level, c, th.tint(th.kernel)) for c in cells))
        links = VGroup() if self.one_d else self._edges(level, above, cells)
        if self.one_d:
            for c in above:
                taps = receptive_window((layer,), c).mask
                for t in np.argwhere(taps):
                    links.add(Line(self._center(level + 1, c), self._center(level, tuple(t)),
                                   color=th.connector, stroke_width=1.5).set_z_index(-1))
        outline = self._outline(level, win.full)
        self.add(links, marks, outline)
        jump = self._jump(level)
        self.record("field", level=level, cells=cells, full=win.full, size=win.size,
                    jump=jump)
        self.say("caption", self.label(
            "rf_grow", n=format_int(level + 1), r=format_shape(win.size),
            jn=format_axes(jump), a=format_index([f for f, _ in win.full]),
            b=format_index([b for _, b in win.full])), self.lay.bottom[0])
        self.narration.settle()
        for note, drawn in self._notes(level, cells):
            self.add(drawn)
            self.say("note", note, self.lay.bottom[1], role="muted_text")
            self.narration.settle()
            self.remove(drawn)
        self.narration.clear("note")
        return cells

    def _jump(self, level: int) -> tuple[int, ...]:
        """The jump ``j`` of layer ``level + 1`` as the formula uses it: the distance on the
        input between neighbouring cells of ``level`` (the product of the strides below)."""
        if level == 0:
            return (1,) * self.stack.spec.ndim
        return tuple(int(f.jump) for f in self.fields[level - 1])

    def _notes(self, level: int, cells: list[tuple[int, ...]]) -> list[tuple[str, Any]]:
        """The notes under the caption at ``level``, each with what it points at."""
        layer, out = self.stack.specs[level], []
        below = self.stack.specs[level - 1] if level else None
        if below is not None and any(s > 1 for s in below.stride):
            key = "rf_stride" if self.one_d else "rf_stride_2d"
            out.append((self.label(key, s=format_axes(below.stride), m=format_int(level),
                                   j0=format_axes(self._jump(level - 1)),
                                   jn=format_axes(self._jump(level))),
                        self._neighbours(level, cells[0]) if self.one_d else VGroup()))
        if any(d > 1 for d in layer.dilation):
            out.append((self.label("rf_dilation", d=format_axes(layer.dilation),
                                   k=format_axes(layer.kernel_shape)), VGroup()))
        win = self.windows[len(self.stack.specs) - 1 - level]
        if any(f < 0 or b >= n for (f, b), n in zip(win.full, win.input_shape)) and self.one_d:
            out.append((self.label("rf_padding_note"), VGroup()))
        return out

    def _neighbours(self, level: int, cell: tuple[int, ...]) -> VGroup:
        """1D: dashed lines from two neighbouring cells of ``level`` down to the input, where
        they stand the level's jump apart."""
        size = self.stack.specs[level - 1].output_shape[0]
        pair = [cell[0], cell[0] + 1] if cell[0] + 1 < size else [cell[0] - 1, cell[0]]
        self.record("neighbours", level=level, cells=pair,
                    xs=[float(self._center(level, (u,))[0]) for u in pair],
                    pitch=float(self._center(0, (1,))[0] - self._center(0, (0,))[0]))
        half = self.lay.cell / 2
        lines = VGroup()
        for u in pair:
            top = self._center(level, (u,))
            end = np.array([top[0], self.lay.rows_y[0] + half, 0.0])
            lines.add(DashedLine(top + np.array([0, -half, 0]), end, dash_length=0.08,
                                 color=self.theme.highlight, stroke_width=3))
            lines.add(Square(side_length=self.lay.cell * 1.2).move_to(top).set_stroke(
                self.theme.highlight, width=3).set_fill(opacity=0))
        return lines.set_z_index(2)

    def _outline(self, level: int, full) -> Any:
        """The whole window (padding included, dashed) around the field at ``level``."""
        th = self.theme
        if self.one_d:
            (first, last), = full
            pad = VGroup(*(self._cell(level, (u,), th.background, dashed=True)
                           for u in range(first, last + 1)
                           if not 0 <= u < (self.stack.input_shape[0] if level == 0
                                            else self.stack.specs[level - 1].output_shape[0])))
            a, b = self._center(level, (first,)), self._center(level, (last,))
            box = Rectangle(width=b[0] - a[0] + self.lay.cell * 1.15,
                            height=self.lay.cell * 1.3).move_to((a + b) / 2)
            return VGroup(pad, box.set_stroke(th.highlight, width=3).set_fill(opacity=0))
        shape = self.stack.input_shape if level == 0 else self.stack.specs[level - 1].output_shape
        lo = tuple(max(f, 0) for f, _ in full)
        hi = tuple(min(b, n - 1) for (_, b), n in zip(full, shape))
        return Polygon(*self._corners(level, lo, hi)).set_stroke(th.highlight, width=3).set_fill(
            opacity=0)

    def _formula(self) -> None:
        self.mark("formula")
        terms = size_terms(self.stack.specs, 0)
        body = " + ".join(f"({k} − 1)·{j}" for k, j in terms)
        self.say("caption", self.label("rf_formula_caption"), self.lay.bottom[0])
        self.say("formula", self.label("rf_formula", terms="1 + " + body,
                                       r=format_int(self.windows[-1].size[0])),
                 self.lay.bottom[1], kind="formula")
        self.narration.settle()


class StackComparison(ConvScene):
    """Three small layers vs one large kernel, then vs dilations 1-2-4 (module docstring)."""

    LAYERS: ClassVar[int] = receptive_plan.COMPARE_LAYERS

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """:func:`scenes.plans.receptive.check_compare` with :attr:`LAYERS` layers."""
        receptive_plan.check_compare(spec, mode, layers=cls.LAYERS)

    def construct(self) -> None:
        k = compare_kernel(self.spec)
        self.stacks = comparison_stacks(self.spec.ndim, k, self.LAYERS,
                                        compare_input_shape(self.spec, self.LAYERS))
        shape = self.stacks["dilated"][0].input_shape
        fw, fh = self.frame_size()
        self.lay = plan_compare(shape, frame_width=fw, frame_height=fh)
        self.text_font = self.lay.text_font
        self.grids = [CellGrid(shape, self.lay.cell, theme=self.theme, role="input",
                               center=g.box.center) for g in self.lay.grids]
        self.say("title", self.label("cmp_title"), self.lay.top[0], kind="title")
        self.fields: list[VGroup] = [VGroup(), VGroup()]
        self.names: list[Any] = [None, None]
        self._names("single")
        self.preview(*self.grids, *self.names, parts=("title", "grids"))
        self.wait(1.5)
        self._compare("single", "cmp_first")
        self._compare("dilated", "cmp_second")
        self.close()

    def _name(self, which: str) -> str:
        st = self.stacks[which]
        k = format_shape(st[0].kernel_shape)
        if which == "single":
            return self.label("cmp_single", k=k)
        ds = "-".join(format_axes(s.dilation) for s in st)
        key = "cmp_dilated" if which == "dilated" else "cmp_stacked"
        return self.label(key, n=len(st), k=k, ds=ds)

    def _names(self, other: str) -> None:
        """The two grids' captions: the stacked layers, and ``other``."""
        for side, which in enumerate(("stacked", other)):
            if self.names[side] is not None:
                self.remove(self.names[side])
            self.names[side] = self.text_row(self._name(which), self.lay.grids[side].caption,
                                             self.lay.caption_font, muted=True)
            self.add(self.names[side])

    def _compare(self, other: str, verdict: str) -> None:
        self.mark(other)
        self.narration.clear("caption")
        self._names(other)
        for n in range(1, self.LAYERS + 1):
            self.say("caption", self.label("cmp_grow", n=n, total=self.LAYERS),
                     self.lay.bottom[0])
            stats = []
            for side, which in enumerate(("stacked", other)):
                sub = self.stacks[which][: min(n, len(self.stacks[which]))]
                stats.append(self._show_field(side, sub))
            self.say("stats", "     ".join(stats), self.lay.bottom[1], role="muted_text")
            self.narration.settle()
        ds = "-".join(format_axes(s.dilation) for s in self.stacks["dilated"])
        self.narration.clear("stats")
        self.say("caption", self.label(verdict, n=self.LAYERS, ds=ds), self.lay.bottom[0])
        self.narration.settle()

    def _show_field(self, side: int, sub: tuple[ConvSpec, ...]) -> str:
        grid, th = self.grids[side], self.theme
        centre = tuple((n - 1) // 2 for n in sub[-1].output_shape)
        win = receptive_window(sub, centre)
        self.remove(self.fields[side])
        self.fields[side] = VGroup(*(
            grid.get_cell(tuple(int(v) for v in c), color=th.kernel, fill_opacity=0.55,
                          stroke_width=0) for c in np.argwhere(win.mask)))
        self.add(self.fields[side])
        count = parameter_count(sub)
        self.record("compare", side=side, layers=len(sub), size=win.size, weights=count,
                    cells=int(win.count))
        return self.label("cmp_stats", r=format_shape(win.size), p=format_int(count))
