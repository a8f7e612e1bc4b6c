"""A3 in 2D: the connectivity graph drawn between two grids, one cell's edges at a time.

Two rows of 25–64 nodes joined by 81–576 edges are a hairball. In 2D, :class:`GridFans` (a mixin
of :class:`scenes.connectivity.Connectivity`) draws the input (the padded input of a direct spec)
and the output as grids and shows one output's fan-in at a time — an edge from each input cell it
reads, the weight written at the edge's input end in the weight's colour — sweeping across the
output cells; then one input's fan-out at a time (the weights at the output ends); then every
input's fan-out count written on its cell; then the same edges read backwards: one output of the
transposed convolution gathering its inputs with the weights reversed.

Every edge and weight is the engine's (:func:`convmath.connectivity`, :func:`convmath.conv_steps`,
:func:`convmath.grid_input_index`); the grids are placed by :func:`scenes.layout.plan_best`.
"""

from __future__ import annotations

import numpy as np
from manim import Line, Rectangle, VGroup, VMobject

from convmath import ConvSpec, adjoint_or_none, connectivity, derive_output_size
from convmath.fmt import format_index
from scenes.kit.grid import CellGrid
from scenes.kit.text import make_text
from scenes.kit.text import text_line as caption
from scenes.kit.theme import MIN_MARK_CONTRAST, Theme, blend, contrast_ratio, relative_luminance
from scenes.layout import fit_font, readable, value_chars

__all__ = ["GridFans", "GAP_CELLS", "BADGE_SIDE"]

#: Empty cells between the input and the output grid, for the edges.
GAP_CELLS = 3
#: A weight's badge: its side as a fraction of a cell.
BADGE_SIDE = 0.62
#: Fan-ins (and fan-outs) shown slowly, with their caption, before the sweep speeds up.
FULL_FANS = 2
#: Most fan-ins shown (the first ones in full, the rest of the sweep spread evenly over the
#: outputs): an 8×8 output's 64 fan-ins cost a default GIF's size for little more insight.
MAX_FANS = 32
#: Longest quick sweep, in seconds of step_time (each quick fan-in lasts at least a cut).
_SWEEP_TIME = 6.0

Key = tuple[int, int, int]  # (input flat, output flat, kernel flat)


def _flat(index: tuple[int, ...], shape: tuple[int, ...]) -> int:
    return int(np.ravel_multi_index(index, shape))


def _cut(t: float) -> float:
    """A rate function done on the first frame (a hard cut: few changed pixels)."""
    return 1.0


class GridFans:
    """The 2D story of :class:`Connectivity` (a mixin: ``self`` is the scene).

    Records (scene log facts, for tests): ``grid_fan_in`` per output shown (``out``,
    ``edges`` = sorted ``(input flat, kernel flat)``, ``labels`` = input flat → text,
    ``on_edge`` = the largest distance of a label's centre from its edge's line), likewise
    ``grid_fan_out`` per input shown (``edges`` = ``(output flat, kernel flat)``), and
    ``count_marks`` (every input's fan-out count as written).
    """

    # -- plan ----------------------------------------------------------------------------------

    def _g_plan(self) -> None:
        """Edges, grids and the layout: input, a gap for the edges, output; the kernel legend."""
        s = self.spec
        self._edges = connectivity(s)
        self._steps = None if s.transposed else self._conv_steps()
        self._in_cells = [tuple(int(v) for v in i) for i in np.ndindex(*s.input_shape)]
        self._out_cells = [tuple(int(v) for v in i) for i in np.ndindex(*s.output_shape)]
        in_shape = s.input_shape if s.transposed else s.grid_shape
        kshape = tuple(s.kernel_shape)  # type: ignore[arg-type]
        chars = value_chars(self.weights.values) if self.numeric else 3
        # The output above the kernel: its cells sit higher than the input's middle, so the
        # edges of one input row to an output cell rise at different slopes (never one line).
        lay = self.plan([[in_shape], [(1, GAP_CELLS)], [s.output_shape, kshape]],
                        top_rows=1, bottom_rows=2, chars=chars)
        self.layout = lay
        self._kcolors = edge_colors(self.theme, s.kernel_size)
        self._by_out: dict[int, list[Key]] = {}
        self._by_in: dict[int, list[Key]] = {}
        for e in self._edges:
            key = (_flat(e.in_index, s.input_shape), _flat(e.out_index, s.output_shape),
                   _flat(e.kernel_index, kshape))
            self._by_out.setdefault(key[1], []).append(key)
            self._by_in.setdefault(key[0], []).append(key)
        gmap = self._grid_map()
        self._in_pos = {k: tuple(int(v) for v in np.argwhere(gmap == k)[0])
                        for k in range(s.input_size)}
        self.edge_of: dict[Key, VMobject] = {}
        self.edge_color: dict[Key, str] = {}
        self.drawn_edges = set()

    def _conv_steps(self):
        from convmath import conv_steps

        return conv_steps(self.x, self.w, self.spec)

    def _grid_map(self) -> np.ndarray:
        """Flat input index of each drawn input cell (``-1``: padding)."""
        from convmath import grid_input_index

        s = self.spec
        if s.transposed:
            return np.arange(s.input_size).reshape(s.input_shape)
        return grid_input_index(s)

    def _g_build(self) -> VGroup:
        """The input, output and kernel grids with their captions (not shown)."""
        s, th, lay = self.spec, self.theme, self.layout
        slots = lay.grids
        g_in, g_out, g_k = slots[0], slots[2], slots[3]
        kinds = None if s.transposed else self._grid_map()
        self.input_grid = CellGrid(s.input_shape if s.transposed else s.grid_shape, lay.cell,
                                   theme=th, role="input", kinds=kinds, center=g_in.box.center)
        self.output_grid = CellGrid(s.output_shape, lay.cell, theme=th, role="output",
                                    center=g_out.box.center)
        self.kernel_grid = CellGrid(tuple(s.kernel_shape), lay.cell, theme=th, role="kernel",  # type: ignore[arg-type]
                                    colors=self._kcolors, tint=False, center=g_k.box.center)
        font = self._badge_font()
        if font is not None:
            for k, idx in enumerate(np.ndindex(*s.kernel_shape)):
                cell = tuple(int(v) for v in idx)
                self.kernel_grid.add(make_text(self._weight_text(k), font,
                                               self._ink_on(self._kcolors[k]))
                                     .move_to(self.kernel_grid.cell_center(cell)))
        self._caps = {}
        for name, slot, shape in (("input", g_in, s.input_shape), ("output", g_out,
                                                                    s.output_shape)):
            self._caps[name] = self._grid_caption(name, slot, shape)
        self._caps["kernel"] = caption(self._kernel_name(), g_k.caption, lay.caption_font,
                                       th.text)
        return VGroup(self.input_grid, self.output_grid, self.kernel_grid, *self._caps.values())

    def _grid_caption(self, name: str, slot, shape) -> VMobject:
        from convmath.fmt import format_shape

        s = self.label("conn_row", name=self.label(name), shape=format_shape(shape))
        return caption(s, slot.caption, self.layout.caption_font, self.theme.text)

    # -- pieces --------------------------------------------------------------------------------

    def _ink_on(self, fill: str) -> str:
        th = self.theme
        return max((th.text, th.background), key=lambda c: contrast_ratio(c, fill))

    def _kernel_name(self) -> str:
        """The kernel legend's caption (a kernel of fractions says its factor: its weights
        are written as integers on the legend and the edges)."""
        name = self.label("kernel")
        return self.kernel_caption(name) if self.numeric else name

    def _weight_text(self, k: int) -> str:
        """Weight ``k`` (flat) as written on badges: its value, or (schematic) its name."""
        if self.numeric:
            return self.weights.text(self.w.ravel()[k])
        from scenes.matrix import weight_name

        return weight_name(np.unravel_index(k, self.spec.kernel_shape))

    def _badge_font(self) -> float | None:
        """The badges' font: the numbers (or names) in a badge, or ``None`` when unreadable."""
        lay = self.layout
        chars = max(len(self._weight_text(k)) for k in range(self.spec.kernel_size))
        return _readable_font(lay, lay.cell * BADGE_SIDE / 0.8, max(chars, 1))

    def _badge(self, at: np.ndarray, k: int) -> VGroup:
        """Weight ``k``'s badge centred on ``at``: a square in its colour, its value on it."""
        side = self.layout.cell * BADGE_SIDE
        sq = Rectangle(width=side, height=side).move_to(at)
        sq.set_fill(self._kcolors[k], 1).set_stroke(self.theme.grid_stroke, width=1)
        out = VGroup(sq)
        font = self._badge_font()
        if font is not None:
            t = make_text(self._weight_text(k), font, self._ink_on(self._kcolors[k]))
            t.scale(min(1.0, 0.9 * side / max(t.width, 1e-9), 0.8 * side / max(t.height, 1e-9)))
            out.add(t.move_to(at))
        out.set_z_index(2)
        return out

    def _edge(self, many: np.ndarray, one: np.ndarray, k: int) -> Line:
        """An edge from a badge at ``many`` to the border of the cell at ``one``."""
        d = one - many
        half = self.layout.cell / 2
        span = max(abs(d[0]), abs(d[1]), 1e-9)
        start = many + d * (self.layout.cell * BADGE_SIDE / 2) / span
        end = one - d * half / span
        line = Line(start, end, stroke_width=2.5 * self.layout.frame_height / 8)
        line.set_stroke(self._kcolors[k], opacity=1.0)
        line.set_z_index(1)
        return line

    def _fan(self, keys: list[Key], *, into_output: bool) -> tuple[VGroup, dict, float]:
        """A fan: badges at the many ends, edges to the one end. ``into_output``: the many ends
        are input cells (a fan-in); else output cells (a fan-out). Returns the marks, the label
        texts by many-end flat index and the largest distance of a label from its edge."""
        hl = self.theme.highlight
        marks, labels, worst = VGroup(), {}, 0.0
        if not keys:
            return marks, labels, worst
        one = (self.output_grid.cell_center(self._out_cells[keys[0][1]]) if into_output
               else self.input_grid.cell_center(self._in_pos[keys[0][0]]))
        one_cell = (self.output_grid.get_cell(self._out_cells[keys[0][1]], color=hl,
                                              stroke_width=4) if into_output
                    else self.input_grid.get_cell(self._in_pos[keys[0][0]], color=hl,
                                                  stroke_width=4))
        edges, badges = VGroup(), VGroup()
        for key in keys:
            i, o, k = key
            many = (self.input_grid.cell_center(self._in_pos[i]) if into_output
                    else self.output_grid.cell_center(self._out_cells[o]))
            line = self._edge(many, one, k)
            badge = self._badge(many, k)
            edges.add(line)
            badges.add(badge)
            self.edge_of[key] = line
            self.edge_color[key] = self._kcolors[k]
            labels[i if into_output else o] = badge[1].text if len(badge) > 1 else None
            worst = max(worst, _off_line(badge.get_center(), line))
        marks.add(edges, one_cell.set_z_index(1), badges)
        return marks, labels, worst

    # -- the story -----------------------------------------------------------------------------

    def _grid_story(self) -> None:
        """Preview, fan-ins swept across the outputs, fan-outs, counts, padding, reversal."""
        self._g_plan()
        static = self._g_build()
        self.preview(static, parts=("title", "grids"))
        self._say("title", self.label("conn_title"), kind="title")
        self._say("formula", self._formula(derive_output_size(self.spec, self.lang)),
                  role="muted_text", kind="formula")
        self._prev = VGroup()
        self._g_fan_in()
        self._g_fan_out()
        self._g_padding()
        self._g_reverse()

    def _show(self, marks: VGroup, seconds: float) -> None:
        """Replace the previous marks by ``marks`` with a cut, then hold ``seconds``."""
        from manim import FadeIn, FadeOut

        self.play(FadeOut(self._prev, rate_func=_cut), FadeIn(marks, rate_func=_cut),
                  run_time=max(seconds, 1 / max(1, self.camera.frame_rate)))
        self._prev = marks

    def _window_outline(self, o: int) -> VMobject:
        """Output ``o``'s window on the padded input (padding included), direct specs only."""
        if self._steps is None:
            return VMobject()
        return self.input_grid.get_window(self._steps[o], color=self.theme.highlight,
                                          stroke_width=3)

    def _g_fan_in(self) -> None:
        """One output's fan-in at a time: the first in full, then the sweep, faster."""
        s = self.spec
        n = s.output_size
        shown = _sweep_order(n)
        quick = max(0.12, min(0.5, _SWEEP_TIME / max(1, len(shown) - FULL_FANS)))
        quick *= self.step_time
        for o in shown:
            keys = sorted(self._by_out.get(o, []))
            marks, labels, worst = self._fan(keys, into_output=True)
            marks.add(self._window_outline(o))
            self.drawn_edges |= set(keys)
            self.record("grid_fan_in", out=o, edges=sorted((i, k) for i, _, k in keys),
                        labels=labels, on_edge=worst)
            if o < FULL_FANS:
                self._say("caption", self.label("conn_grid_fan_in",
                                                cell=format_index(self._out_cells[o]),
                                                n=len(keys)))
                self._show(marks, self.step_time * 0.5)
                self.narration.settle("caption")
            else:
                if o == FULL_FANS:
                    self._say("caption", self._rest_sentence(n, len(shown)))
                self._show(marks, quick)
        self.record("edges", edges=set(self.drawn_edges))

    def _rest_sentence(self, n: int, shown: int) -> str:
        """What the quick sweep shows: every other output, or (past :data:`MAX_FANS`) a sample
        of them spread over the grid, counted as shown."""
        rest, sample = n - FULL_FANS, shown - FULL_FANS
        if sample == rest:
            return self.label("conn_grid_fan_in_rest", n=rest)
        return self.label("conn_grid_fan_in_sample", k=sample, n=rest)

    def _g_fan_out(self) -> None:
        """The fan-out of cells whose counts differ, one at a time; then every count."""
        chosen, counts = self._fan_out_cells()
        self.fan_out = {k: counts[k] for k in chosen}
        self.record("fan_out", counts=dict(self.fan_out), all=dict(counts))
        for i, k in enumerate(chosen):
            self._say("caption", self._fan_out_sentence(chosen, counts, i))
            keys = sorted(self._by_in.get(k, []), key=lambda key: key[1])
            marks, labels, worst = self._fan(keys, into_output=False)
            if not keys:
                marks.add(self.input_grid.get_cell(self._in_pos[k], color=self.theme.highlight,
                                                   stroke_width=4))
            self.record("grid_fan_out", cell=k, edges=[(o, m) for _, o, m in keys],
                        labels=labels, on_edge=worst)
            self._show(marks, self.step_time * 0.5)
            self.narration.settle("caption")
        self._g_counts(counts)

    def _g_counts(self, counts: dict[int, int]) -> None:
        """Every input's fan-out count written on its cell: the pattern at a glance."""
        lay = self.layout
        font = _readable_font(lay, lay.cell, 1)
        if font is None:
            return
        ink = self.theme.ink("text")
        nums = VGroup(*[make_text(str(counts[k]), font, ink).move_to(
            self.input_grid.cell_center(self._in_pos[k])) for k in range(self.spec.input_size)])
        self.record("count_marks", counts=[counts[k] for k in range(self.spec.input_size)])
        self._say("caption", self.label("conn_grid_counts"))
        self._show(nums, self.step_time * 0.5)
        self.narration.settle("caption")

    def _g_padding(self) -> None:
        """Direct specs with padding: the padding cells, from which no edge leaves."""
        s = self.spec
        if s.transposed or not any(b or a for b, a in s.pads):
            return
        gmap = self._grid_map()
        marks = VGroup(*[self.input_grid.get_cell(tuple(int(v) for v in pos),
                                                  color=self.theme.highlight, stroke_width=2)
                         for pos in np.argwhere(gmap == -1)])
        self._say("caption", self.label("conn_padding"))
        self._show(VGroup(self._prev.copy(), marks), self.step_time * 0.5)
        self.narration.settle("caption")

    def _g_reverse(self) -> None:
        """The same edges read backwards: the input grid holds the transposed convolution's
        outputs; one of them gathers its inputs (this spec's outputs) with the kernel reversed."""
        s = self.spec
        adj = adjoint_or_none(s)
        if adj is None:
            return
        self._g_reversed_edges(adj)
        kind = self.label(_kind_key(adj))
        self._say("title", self.label("conn_reverse_title", kind=kind), kind="title")
        self._say("caption", self.label("conn_grid_reverse", kind=kind))
        self._say("formula", self._formula(derive_output_size(adj, self.lang)),
                  role="muted_text", kind="formula")
        self._g_swap_roles(adj)
        self.narration.settle("caption")
        k = self._fan_out_cells()[0][-1]
        keys = sorted(self._by_in.get(k, []), key=lambda key: key[1])
        marks, _, _ = self._fan(keys, into_output=False)
        weights = [key[2] for key in keys]
        flipped = (not s.transposed) != s.flip
        self.record("transposed_fan_in", cell=self._in_cells[k], n=len(keys), weights=weights,
                    reversed=flipped)
        values = ", ".join(self._weight_text(q) for q in weights)
        key, whole = self._fan_in_words(len(keys), flipped)
        self._say("caption", self.label(key, cell=format_index(self._in_cells[k]), n=len(keys),
                                        w=values, rev=whole, kind=kind))
        self._show(marks, self.step_time)

    def _fan_in_words(self, n: int, flipped: bool) -> tuple[str, str]:
        """The wording key of a transposed output's fan-in of ``n`` edges, and the whole kernel
        in the order its weights are read along the outputs (reversed exactly when
        ``flipped``): a cell meeting only some weights (a stride, a border) names them inside
        the whole kernel, never as if they were the kernel."""
        n_k = self.spec.kernel_size
        key = "conn_transposed_fan_in" if flipped else "conn_adjoint_fan_in"
        order = range(n_k)[::-1] if flipped else range(n_k)
        whole = ", ".join(self._weight_text(q) for q in order)
        if n < n_k:
            key += "_part"
        self.record("transposed_fan_in_words", key=key, whole=whole)
        return key, whole

    def _g_reversed_edges(self, adj: ConvSpec) -> None:
        """The adjoint's edges, checked to be the drawn ones read backwards."""
        out = set()
        for e in connectivity(adj):
            out.add((_flat(e.in_index, adj.input_shape), _flat(e.out_index, adj.output_shape),
                     _flat(e.kernel_index, adj.kernel_shape)))  # type: ignore[arg-type]
        graph = {(_flat(e.in_index, self.spec.input_shape),
                  _flat(e.out_index, self.spec.output_shape),
                  _flat(e.kernel_index, self.spec.kernel_shape)) for e in self._edges}  # type: ignore[arg-type]
        if {(o, i, k) for i, o, k in out} != graph:
            raise RuntimeError("the adjoint's graph differs from the reversed graph")
        self.reversed_edges = out
        self.record("reversed_edges", edges=set(out))

    def _g_swap_roles(self, adj: ConvSpec) -> None:
        """The grids swap roles (colours and captions) at once."""
        from manim import FadeIn, FadeOut

        th, lay = self.theme, self.layout
        new = []
        for grid, role in ((self.output_grid, "input"), (self.input_grid, "output")):
            swapped = CellGrid(grid.shape, grid.cell_size, theme=th, role=role, kinds=grid.kinds,
                               center=grid.outline.get_center())
            new.append(swapped)
        caps = VGroup(self._grid_caption("output", lay.grids[0], adj.output_shape),
                      self._grid_caption("input", lay.grids[2], adj.input_shape))
        old = VGroup(self.output_grid, self.input_grid, self._caps["input"], self._caps["output"])
        self.play(FadeOut(old, rate_func=_cut), FadeOut(self._prev, rate_func=_cut),
                  FadeIn(VGroup(*new, caps), rate_func=_cut), run_time=self.step_time * 0.5)
        self.output_grid, self.input_grid = new
        self._prev = VGroup()


def _kind_key(spec: ConvSpec) -> str:
    """i18n key naming what ``spec`` computes."""
    if spec.transposed:
        return "transposed_convolution"
    return "convolution" if spec.flip else "cross_correlation"


def _sweep_order(n: int) -> list[int]:
    """The outputs whose fan-in is shown: every one up to :data:`MAX_FANS`, else the first
    :data:`FULL_FANS` and the rest spread evenly, in order (the last output included)."""
    if n <= MAX_FANS:
        return list(range(n))
    rest = np.linspace(FULL_FANS, n - 1, MAX_FANS - FULL_FANS).round().astype(int)
    return list(range(FULL_FANS)) + sorted(set(int(v) for v in rest))


def _readable_font(lay, cell: float, chars: int) -> float | None:
    """``font_size`` for ``chars`` characters in a cell of ``cell``; ``None`` if unreadable at
    480p."""
    font = fit_font(cell, chars, lay.frame_height)
    return font if readable(font, lay.frame_height, 480.0) else None


def _off_line(p: np.ndarray, line: Line) -> float:
    """Distance of point ``p`` from the infinite line through ``line``'s ends."""
    a, b = line.get_start(), line.get_end()
    d = b - a
    n = np.linalg.norm(d)
    if n < 1e-12:
        return float(np.linalg.norm(p - a))
    return float(abs(d[0] * (p - a)[1] - d[1] * (p - a)[0]) / n)


def edge_colors(theme: Theme, n: int) -> list[str]:
    """The kernel's ``n`` weight colours as edges can carry them: each as it is when it has
    :data:`MIN_MARK_CONTRAST` against the background (an edge is a mark that carries meaning),
    else mixed toward black (light theme) or white (dark) just enough: Tol's sand weight on
    white was a faint yellow line at 1.6:1. The hue stays (the legend uses the same colours)."""
    toward = "#000000" if relative_luminance(theme.background) > 0.5 else "#FFFFFF"
    out = []
    for base in theme.kernel_colors(n):
        c = next((blend(toward, base, step / 100) for step in range(101)
                  if contrast_ratio(blend(toward, base, step / 100), theme.background)
                  >= MIN_MARK_CONTRAST + 0.05), toward)
        out.append(c)
    return out
