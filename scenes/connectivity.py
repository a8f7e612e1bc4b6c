"""A3 `Connectivity`: which input cells feed each output, and the same graph read backwards.

``Connectivity`` draws the engine's connectivity graph (:func:`convmath.connectivity`): input
cells and output cells as two rows of nodes (row-major), one edge per ``Edge`` coloured by its
kernel weight. It builds the graph output by output (fan-in), shows the fan-out of a border and a
central input cell, then reverses the arrows: read from output to input the same graph is the
adjoint (:meth:`ConvSpec.adjoint`), i.e. the transposed convolution, whose sizes come from
:func:`convmath.derive_output_size`.

Run with defaults: ``manim -ql scenes/connectivity.py Connectivity``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
from manim import (
    Animation,
    AnimationGroup,
    Circle,
    Create,
    DashedVMobject,
    FadeIn,
    FadeOut,
    LaggedStart,
    RoundedRectangle,
    SurroundingRectangle,
    Text,
    Transform,
    VGroup,
    VMobject,
    smooth,
)

from convmath import (
    ConvSpec,
    ConvStep,
    SizeDerivation,
    adjoint_or_none,
    connectivity,
    conv_steps,
    derive_output_size,
    format_axes,
    grid_input_index,
)
from convmath.explain import format_index, format_shape
from scenes.connectivity_grid import GridFans, edge_colors
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid
from scenes.kit.text import make_text, wrap_words
from scenes.kit.text import text_line as caption
from scenes.kit.theme import contrast_ratio
from scenes.layout import Box, NodeRowsLayout, fit_text, plan_node_rows, value_chars
from scenes.layout.geometry import row_chars
from scenes.plans import connectivity as connectivity_plan

__all__ = [
    "Connectivity",
    "FULL_STEPS",
]

#: Outputs (Connectivity) shown one by one before the rest speed up together.
FULL_STEPS = 3

Index = tuple[int, ...]


def _flat(index: Index, shape: tuple[int, ...]) -> int:
    return int(np.ravel_multi_index(index, shape))


def _kind_key(spec: ConvSpec) -> str:
    """i18n key naming what ``spec`` computes (lower case, for sentences)."""
    if spec.transposed:
        return "transposed_convolution"
    return "convolution" if spec.flip else "cross_correlation"


def _cut(at: float) -> Callable[[float], float]:
    """A rate function jumping from 0 to 1 at fraction ``at`` of a play: a hard cut."""
    return lambda t: 0.0 if t < at else 1.0


def _ramp(start: float, end: float) -> Callable[[float], float]:
    """A rate function that changes only between fractions ``start`` and ``end`` of a play.

    Recolouring or dimming many edges or nodes changes their pixels on every frame it lasts (in
    a GIF, bytes grow with the changed pixels of each frame): done in a few frames, it reads the
    same and costs a fraction.
    """
    return lambda t: smooth(min(1.0, max(0.0, (t - start) / (end - start))))


def _swap(old: VMobject | None, new: VMobject | None, at: float = 0.0) -> Animation:
    """Replace ``old`` by ``new`` with a hard cut at fraction ``at`` of the play.

    A cross-fade of a text row changes every glyph's pixels on every frame (most of a GIF's
    bytes); the cut changes them once and the two texts never overlap.
    """
    anims = [FadeOut(old, rate_func=_cut(at))] if old is not None else []
    anims += [FadeIn(new, rate_func=_cut(at))] if new is not None else []
    return AnimationGroup(*anims)


#: Edges dim or light up with a cut at the start of a play (the rest of the play: rings and
#: reading time). Dimming a dense graph redraws most of the frame; even three frames of it were
#: a third of a 2D GIF's bytes.
_DIM = _cut(0.0)


# ---------------------------------------------------------------------------------------------
# Connectivity


class Connectivity(GridFans, ConvScene):
    """The connectivity graph of a convolution, and the same graph read backwards.

    Parameters
    ----------
    spec, x, w, mode, theme, lang, step_time
        As :class:`scenes.base.ConvScene` (default: 1D input 5, kernel 3, stride 2, padding 1).

    Attributes
    ----------
    drawn_edges : set of (int, int, int)
        ``(input flat index, output flat index, kernel flat index)`` of every edge drawn.
    reversed_edges : set of (int, int, int)
        The same for the reversed graph, in the adjoint spec's terms (its input is this spec's
        output); empty when the spec has no adjoint.
    fan_out : dict
        Input flat index → number of outputs it reaches (for the cells whose fan-out is shown).
    layout : NodeRowsLayout
        Where everything was placed.

    Raises
    ------
    ValueError
        (:class:`convmath.ConvMathError`) when a row would hold more than
        :attr:`MAX_NODES_PER_ROW` nodes.
    """

    default_spec: ClassVar[ConvSpec] = ConvSpec((5,), 3, stride=2, padding=1)
    #: Largest number of nodes in one row (an 8×8 input): beyond, edges cannot be told apart.
    MAX_NODES_PER_ROW: ClassVar[int] = connectivity_plan.MAX_NODES_PER_ROW

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type(self).check_spec(self.spec, mode=self.mode)
        self.drawn_edges: set[tuple[int, int, int]] = set()
        self.reversed_edges: set[tuple[int, int, int]] = set()
        self.fan_out: dict[int, int] = {}

    _padded_row = staticmethod(connectivity_plan.padded_row)

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """:func:`scenes.plans.connectivity.check_spec` with this class's name and
        :attr:`MAX_NODES_PER_ROW`."""
        connectivity_plan.check_spec(spec, mode, name=cls.__name__,
                                     max_nodes=cls.MAX_NODES_PER_ROW)

    # -- building ----------------------------------------------------------------------------

    def construct(self) -> None:
        """The story: the empty graph, the fan-in output by output, the fan-out of input cells
        whose counts differ (or all equal), the padding, the arrows reversed (the adjoint) and
        one transposed output's fan-in: the flipped kernel."""
        if self.spec.ndim == 2:  # grids, one cell's edges at a time (no hairball)
            self._grid_story()
            self.close()
            return
        self._plan()
        self._build_graph()
        self._open()
        self._fan_in()
        self._fan_out()
        self._padding()
        self._reverse()
        self.close()

    def _plan(self) -> None:
        """The engine's graph and windows, and the layout of the two rows of nodes."""
        s = self.spec
        self._edges = connectivity(s)
        self._steps = conv_steps(self.x, self.w, s)
        self._in_cells = [tuple(int(v) for v in i) for i in np.ndindex(*s.input_shape)]
        self._out_cells = [tuple(int(v) for v in i) for i in np.ndindex(*s.output_shape)]
        self._gmap = grid_input_index(s)
        if self._padded_row(s):
            self._bottom_kinds = [int(v) for v in self._gmap]  # position → flat input or padding
        else:
            self._bottom_kinds = list(range(s.input_size))
        if s.ndim == 1:
            top_groups, bottom_groups = [s.output_size], [len(self._bottom_kinds)]
            top_grid = bottom_grid = None
        else:
            top_groups = [s.output_shape[1]] * s.output_shape[0]
            bottom_groups = [s.input_shape[1]] * s.input_shape[0]
            top_grid = s.output_shape
            bottom_grid = s.grid_shape if not s.transposed else s.input_shape
        self._bottom_grid = bottom_grid
        fw, fh = self.frame_size()
        self.layout = plan_node_rows(
            top_groups, bottom_groups, frame_width=fw, frame_height=fh, top_grid=top_grid,
            bottom_grid=bottom_grid, legend=s.kernel_shape, top_rows=1, bottom_rows=2,
        )
        self._kcolors = edge_colors(self.theme, s.kernel_size)

    def _build_graph(self) -> None:
        """Nodes (output row on top, input row below: data flows up, as in the paper's figures),
        their labels, the locator grids (2D), the kernel legend and one arrow per edge."""
        self._build_nodes()
        self._build_legend()
        self._build_locators()
        self._build_edges()

    def _build_nodes(self) -> None:
        """The two rows of nodes (padding nodes dashed), their labels and group labels."""
        s, lay = self.spec, self.layout
        top_row, bottom_row = lay.rows
        self.out_nodes = VGroup(*[self._node(x, top_row.y, "output") for x in top_row.xs])
        self.in_nodes: dict[int, VMobject] = {}
        self.pad_nodes = VGroup()
        self._bottom_all = VGroup()
        for x, kind in zip(bottom_row.xs, self._bottom_kinds):
            if kind >= 0:
                node = self._node(x, bottom_row.y, "input")
                self.in_nodes[kind] = node
            else:
                node = self._node(x, bottom_row.y, "padding")
                self.pad_nodes.add(node)
            self._bottom_all.add(node)
        self.bottom_nodes = list(self._bottom_all)  # by position in the bottom row
        self._node_labels = VGroup()
        self._add_node_labels(self._node_labels, self.out_nodes, self._out_cells, lay)
        in_list = [self.in_nodes[k] for k in range(s.input_size)]
        self._add_node_labels(self._node_labels, VGroup(*in_list), self._in_cells, lay)
        self._group_labels = VGroup()
        for row in lay.rows:
            for r, box in enumerate(row.groups):
                label = make_text(self.label("conn_row_group", r=r), lay.caption_font * 0.8,
                                  self.theme.muted_text)
                if label.width > box.width:  # narrow groups: the row number alone
                    label = make_text(str(r), lay.caption_font * 0.8, self.theme.muted_text)
                self._group_labels.add(fit_text(label, box))

    def _build_legend(self) -> None:
        """The kernel legend: the weights' colours (and values, in black or white: whichever
        reads on the edge colour)."""
        s, th, lay = self.spec, self.theme, self.layout
        slot = lay.legend
        self.kernel_grid = CellGrid(
            s.kernel_shape, slot.cell, theme=th, role="kernel", colors=self._kcolors,
            tint=False, center=slot.box.center,
        )
        values = VGroup()
        if self.numeric:
            font = lay.cell_font(slot.cell, value_chars(self.weights.values))
            for k, idx in enumerate(np.ndindex(*s.kernel_shape)):
                ink = max((th.text, th.background),
                          key=lambda c: contrast_ratio(c, self._kcolors[k]))
                values.add(make_text(self.weights.text(self.w[idx]), font, ink).move_to(
                    self.kernel_grid.cell_center(tuple(int(v) for v in idx))))
        self.kernel_grid.add(values)
        self._legend_cap = self._fit(self._kernel_name(), slot.caption, lay.caption_font,
                                     th.text)

    def _build_locators(self) -> None:
        """2D: the output and the (padded) input as small grids beside their rows."""
        s, th = self.spec, self.theme
        top_row, bottom_row = self.layout.rows
        self.output_grid = self.input_grid = None
        if top_row.grid is not None:
            self.output_grid = CellGrid(s.output_shape, top_row.grid.cell, theme=th,
                                        role="output", center=top_row.grid.box.center)
            kinds = self._gmap if not s.transposed else None
            self.input_grid = CellGrid(self._bottom_grid, bottom_row.grid.cell, theme=th,
                                       role="input", kinds=kinds,
                                       center=bottom_row.grid.box.center)
        self._row_caps = self._row_captions(("output", "input"), s.output_shape, s.input_shape)

    def _build_edges(self) -> None:
        """One arrow per engine edge, coloured by its weight."""
        s = self.spec
        self.edge_of: dict[tuple[int, int, int], VMobject] = {}
        self.edge_color: dict[tuple[int, int, int], str] = {}
        self._edge_labels_drawn: list = []
        self._by_out: dict[int, list[VMobject]] = {}
        self._by_in: dict[int, list[VMobject]] = {}
        for e in self._edges:
            key = (_flat(e.in_index, s.input_shape), _flat(e.out_index, s.output_shape),
                   _flat(e.kernel_index, s.kernel_shape))  # type: ignore[arg-type]
            color = self._kcolors[key[2]]
            arrow = self._arrow(self.in_nodes[key[0]], self.out_nodes[key[1]], color)
            arrow.add(self._edge_label(key))
            self.edge_of[key] = arrow
            self.edge_color[key] = color
            self._by_out.setdefault(key[1], []).append(arrow)
            self._by_in.setdefault(key[0], []).append(arrow)
        self.drawn_edges = set(self.edge_of)
        self.record("edges", edges=set(self.drawn_edges))
        self.record("edge_labels", labels=list(self._edge_labels_drawn),
                    colors=list(self._kcolors))

    def _say(self, slot: str, sentence: str, *, role: str = "text", kind: str = "caption"
             ) -> None:
        """Say ``sentence`` in ``"title"``, ``"caption"`` (the message, in full text colour) or
        ``"formula"`` (the size formula under it, muted: emphasis follows importance)."""
        lay = self.layout
        box = {"title": lay.top[0], "caption": lay.bottom[0], "formula": lay.bottom[1]}[slot]
        if slot == "caption" and self.spec.ndim == 1:  # (2D keeps its grids' caption rows)
            lines = self._caption_lines(sentence, box)
            self._caption_rows = len(lines)
            if len(lines) > 1:  # two rows at the normal font (the size formula gives way)
                self.narration.clear("formula")
                self.narration.say_lines(slot, lines, lay.bottom[:2], role=role,
                                         font=lay.text_font)
                return
        if slot == "formula" and getattr(self, "_caption_rows", 1) > 1:
            self.narration.settle("caption")  # read first, then the formula takes its row
            self.narration.clear("caption")
            self._caption_rows = 1
        self.say(slot, sentence, box, role=role, kind=kind, font=lay.text_font)

    def _caption_lines(self, sentence: str, box: Box) -> list[str]:
        """``sentence`` in one row when it fits ``box`` at the text font, else wrapped into two
        balanced rows, each measured as drawn (a long line was shrunk to a small one running
        edge to edge); the second row is the size formula's, which gives way."""
        font = self.layout.text_font
        chars = row_chars((box,), self.layout.frame_width, font)
        lines = wrap_words(sentence, chars, 2)
        for n in range(chars, 9, -3):
            lines = wrap_words(sentence, n, 2)
            if all(make_text(t, font, self.theme.text).width <= box.width for t in lines):
                break
        self.record("caption_rows", text=sentence, lines=lines, box_width=box.width,
                    widths=[make_text(t, font, self.theme.text).width for t in lines])
        return lines

    def _open(self) -> None:
        """The first frame (a preview: the graph's nodes under its title with the first
        output's fan-in drawn, its edges and their weights), at once."""
        static = VGroup(self.out_nodes, self._bottom_all, self._node_labels, self._group_labels,
                        self.kernel_grid, self._legend_cap, self._row_caps)
        if self.output_grid is not None:
            static.add(self.output_grid, self.input_grid)
        first = self._out_cells[0]
        oflat = _flat(first, self.spec.output_shape)
        self._preview_marks = self._fan_in_marks(self._steps[oflat], first)
        fan = self._by_out.get(oflat, [])
        self.preview(static, *fan, self._preview_marks, parts=("title", "graph", "fan-in"))
        self.record("preview_fan_in", output=first, edges=len(fan))
        self.bring_to_front(self.out_nodes, self._bottom_all, self._node_labels)
        self._say("title", self.label("conn_title"), kind="title")
        self._say("caption", self.label("conn_fan_in"))
        self._say("formula", self._formula(derive_output_size(self.spec, self.lang)),
                  role="muted_text", kind="formula")
        self.wait(self.step_time)

    def _fan_in(self) -> None:
        """Output by output, the edges into it: the first few in full, the rest together."""
        s = self.spec
        cursor = VGroup()
        for n, o in enumerate(self._out_cells[:FULL_STEPS]):
            oflat = _flat(o, s.output_shape)
            if n == 0:  # drawn by the preview: its time to be followed
                cursor = self._preview_marks
                self.wait(self.step_time * 0.8)
                continue
            marks = self._fan_in_marks(self._steps[oflat], o)
            # The edges come at once with the marks (drawn over a play, edges across the frame
            # changed most of every frame: most of a GIF's bytes), then time to follow them.
            self.play(FadeOut(cursor, rate_func=_DIM), FadeIn(marks, rate_func=_DIM),
                      *[FadeIn(a, rate_func=_DIM) for a in self._by_out.get(oflat, [])],
                      run_time=self.step_time * 0.2)
            self.wait(self.step_time * 0.8)
            cursor = marks
        rest = self._out_cells[FULL_STEPS:]
        if rest and s.ndim == 2:  # 2D: the other edges at once (drawing each is most bytes)
            self.play(FadeOut(cursor), run_time=self.step_time * 0.3)
            self.add(*[a for o in rest for a in self._by_out.get(_flat(o, s.output_shape), [])])
            self.wait(self.step_time * 0.5)
        elif rest:
            groups = [AnimationGroup(*[Create(a) for a in self._by_out.get(
                _flat(o, s.output_shape), [])]) for o in rest]
            groups = [g for g in groups if g.animations]
            self.play(FadeOut(cursor), LaggedStart(*groups, lag_ratio=0.6) if groups else
                      FadeOut(VGroup()), run_time=self.step_time * min(4.0, 0.5 + 0.3 * len(rest)))
        else:
            self.play(FadeOut(cursor), run_time=self.step_time * 0.3)
        self._all_arrows = VGroup(*self.edge_of.values())
        self.add(self._all_arrows)
        self.bring_to_front(self.out_nodes, self._bottom_all, self._node_labels)  # tips never
        # hide a label

    def _fan_out_cells(self) -> tuple[list[int], dict[int, int]]:
        """Two input cells whose fan-out counts differ — the first cell reaching the fewest
        outputs and the one reaching the most, nearest the centre — or the first cell alone
        when every input reaches as many; with every input's count."""
        s = self.spec
        counts = {k: len(self._by_in.get(k, [])) for k in range(s.input_size)}
        centre = np.array([(n - 1) / 2 for n in s.input_shape])
        fewest = min(range(s.input_size), key=lambda k: (counts[k], k))
        most = max(
            range(s.input_size),
            key=lambda k: (counts[k],
                           -float(np.sum((np.array(self._in_cells[k]) - centre) ** 2))),
        )
        return ([fewest] if counts[most] == counts[fewest] else [fewest, most]), counts

    def _fan_out_sentence(self, chosen: list[int], counts: dict[int, int], i: int) -> str:
        """What the fan-outs shown so far say: each count, then what the counts add up to (all
        equal; uneven inside the input: a checkerboard; else fewer at the border)."""
        texts = [self.label("conn_fan_out", cell=format_index(self._in_cells[k]), n=counts[k])
                 for k in chosen[: i + 1]]
        if len(chosen) == 1:
            return self.label("conn_fan_out_equal", n=counts[chosen[0]])
        line = " · ".join(texts)
        if i == len(chosen) - 1:
            s = self.spec
            key = "conn_border_fewer"
            if _uneven_inside(s, counts):
                key = "conn_checkerboard" if any(v > 1 for v in s.stride) else "conn_gaps"
            line += " " + self.label(key, s=format_axes(s.stride), d=format_axes(s.dilation))
        return line

    def _fan_out(self) -> None:
        """The fan-out of the chosen cells, one at a time, the other edges dimmed; then every
        input's count written on its cell (2D locator grid)."""
        chosen, counts = self._fan_out_cells()
        for k in chosen:
            self.fan_out[k] = counts[k]
        self.record("fan_out", counts=dict(self.fan_out), all=dict(counts))
        self._prev = VGroup()
        for i, k in enumerate(chosen):
            self._say("caption", self._fan_out_sentence(chosen, counts, i))
            marks = self._fan_out_marks(k, self._in_cells[k])
            mine = self._by_in.get(k, [])
            dims = [VGroup(*[a for a in self._all_arrows if a not in mine]).animate(
                rate_func=_DIM).set_opacity(0.12)]
            lit = [VGroup(*mine).animate(rate_func=_DIM).set_opacity(1.0)] if mine else []
            self.play(FadeOut(self._prev), FadeIn(marks), *dims, *lit, run_time=self.step_time)
            self._prev = marks
        self._count_marks(counts)

    def _count_marks(self, counts: dict[int, int]) -> None:
        """2D: each input's fan-out count on its cell of the input grid (the uneven pattern at
        a glance), when a number fits the cell."""
        if self.input_grid is None:
            return
        font = self.layout.cell_font(self.input_grid.cell_size, 1)
        if font * 0.7 < 6 * self.layout.frame_height / 480:
            return
        ink = self.theme.ink("text")
        nums = VGroup(*[make_text(str(counts[k]), font, ink).move_to(self.input_grid.cell_center(
            self._grid_index_of(self._in_cells[k]) if not self.spec.transposed
            else self._in_cells[k])) for k in range(self.spec.input_size)])
        self.record("count_marks", counts=[counts[k] for k in range(self.spec.input_size)])
        self.play(FadeOut(self._prev), FadeIn(nums, rate_func=_DIM), run_time=self.step_time)
        self._prev = nums

    def _padding(self) -> None:
        """Direct specs with padding: the padding cells, from which no edge leaves."""
        s = self.spec
        if not (any(b or a for b, a in s.pads) and not s.transposed):
            return
        pad_marks = self._padding_marks()
        self._say("caption", self.label("conn_padding"))
        self.play(FadeOut(self._prev), FadeIn(pad_marks),
                  self._all_arrows.animate(rate_func=_DIM).set_opacity(0.12),
                  run_time=self.step_time)
        self._prev = pad_marks

    def _reverse(self) -> None:
        """Reverse the arrows: the same graph read from output to input is the adjoint; it ends
        on one of its outputs' fan-in (the flipped kernel)."""
        s = self.spec
        adj = adjoint_or_none(s)
        if adj is None:
            self.play(FadeOut(self._prev), self._all_arrows.animate(rate_func=_DIM)
                      .set_opacity(1.0), run_time=self.step_time)
            return
        reversed_arrows = self._reversed(adj)
        kind = self.label(_kind_key(adj))
        new_caps = self._row_captions(("input", "output"), adj.input_shape, adj.output_shape)
        self.play(FadeOut(self._prev), self._all_arrows.animate(rate_func=_DIM).set_opacity(1.0),
                  run_time=self.step_time * 0.5)
        # Title and caption change together (the caption had to be read first: the title ran
        # ahead of it, above the old caption and the arrows not yet reversed), then the arrows.
        self.narration.settle()
        self.record("reverse_said", at=self.time)
        self._say("title", self.label("conn_reverse_title", kind=kind), kind="title")
        self._say("caption", self.label("conn_reverse", kind=kind))
        # The arrows re-point over the whole play (their tips slide along the edges); the nodes
        # swap roles in a few frames half-way, their captions with them. The caption stays
        # while they do; the new size formula comes after (a two-row caption gives it its row
        # once read).
        self.play(
            *[Transform(self.edge_of[key], arrow) for key, arrow in reversed_arrows.items()],
            *self._swap_roles(_ramp(0.4, 0.6)), _swap(self._row_caps, new_caps, at=0.5),
            run_time=self.step_time * 2,
        )
        self._say("formula", self._formula(derive_output_size(adj, self.lang)),
                  role="muted_text", kind="formula")
        self._transposed_fan_in(adj)

    def _transposed_fan_in(self, adj: ConvSpec) -> None:
        """One output of the transposed convolution (an input node now) with the most incoming
        edges: its weights, read along its outputs (now inputs) in order, are the kernel
        reversed — the flipped kernel of the sliding view."""
        k = self._fan_out_cells()[0][-1]
        keys = sorted((key for key in self.edge_of if key[0] == k), key=lambda key: key[1])
        weights = [key[2] for key in keys]
        mine = [self.edge_of[key] for key in keys]
        marks = self._fan_out_marks(k, self._in_cells[k])
        values = ", ".join(self._weight_text(q) for q in weights)
        self.record("transposed_fan_in", cell=self._in_cells[k], n=len(keys), weights=weights,
                    reversed=(not self.spec.transposed) != self.spec.flip)
        # Read along the outputs in order, the weights come reversed exactly when the adjoint
        # slides the kernel the other way (a direct spec's transposed view, unless flipped).
        flipped = (not self.spec.transposed) != self.spec.flip
        key, whole = self._fan_in_words(len(keys), flipped)
        self._say("caption", self.label(key, cell=format_index(self._in_cells[k]), n=len(keys),
                                        w=values, rev=whole, kind=self.label(_kind_key(adj))))
        self.play(FadeIn(marks),
                  VGroup(*[a for a in self._all_arrows if a not in mine]).animate(
                      rate_func=_DIM).set_opacity(0.12), run_time=self.step_time)

    def _swap_roles(self, rate: Callable[[float], float]) -> list[Animation]:
        """Output nodes become inputs and input nodes outputs (and the locator grids too)."""
        th = self.theme
        anims: list[Animation] = [
            *[n.animate(rate_func=rate).set_stroke(th.input).set_fill(th.fill("input"))
              for n in self.out_nodes],
            *[n.animate(rate_func=rate).set_stroke(th.output).set_fill(th.fill("output"))
              for n in self.in_nodes.values()],
        ]
        if self.output_grid is not None:
            for grid, role in ((self.output_grid, "input"), (self.input_grid, "output")):
                swapped = CellGrid(grid.shape, grid.cell_size, theme=th, role=role,
                                   kinds=grid.kinds if grid is self.input_grid else None,
                                   center=grid.outline.get_center())
                anims.append(Transform(grid, swapped, rate_func=rate))
        return anims

    # -- pieces ------------------------------------------------------------------------------

    def _node(self, x: float, y: float, role: str) -> VMobject:
        th, d = self.theme, self.layout.node
        circle = Circle(radius=d / 2).move_to([x, y, 0])
        if role == "padding":
            dashed = DashedVMobject(circle, num_dashes=8)
            dashed.set_stroke(th.padding, width=1.5)
            return dashed
        circle.set_stroke(th.role_color(role), width=2.0).set_fill(th.fill(role), opacity=1.0)
        return circle

    def _add_node_labels(self, group: VGroup, nodes: VGroup, cells: list[Index],
                         lay: NodeRowsLayout) -> None:
        """Grid coordinates inside the nodes: ``j`` (1D) or ``r,c`` (2D), when readable."""
        texts = [",".join(str(v) for v in c) for c in cells]
        font = lay.node_font(max(len(t) for t in texts))
        if font is None and self.spec.ndim == 2:  # column only; the row is the group label
            texts = [str(c[1]) for c in cells]
            font = lay.node_font(max(len(t) for t in texts))
        if font is None:
            return
        for node, t in zip(nodes, texts):
            group.add(make_text(t, font, self.theme.text).move_to(node.get_center()))

    def _fit(self, s: str, box: Box, font: float, color: str) -> Text:
        return fit_text(make_text(s, font, color), box)

    def _row(self, s: str, box: Box, *, muted: bool = False) -> Text:
        color = self.theme.muted_text if muted else self.theme.text
        return fit_text(make_text(s, self.layout.text_font, color), box)

    def _row_captions(self, names: tuple[str, str], top_shape: tuple[int, ...],
                      bottom_shape: tuple[int, ...]) -> VGroup:
        top_row, bottom_row = self.layout.rows
        out = VGroup()
        for name, shape, row in ((names[0], top_shape, top_row), (names[1], bottom_shape,
                                                                 bottom_row)):
            s = (self.label("conn_row_1d", name=self.label(name), n=shape[0]) if len(shape) == 1
                 else self.label("conn_row", name=self.label(name), shape=format_shape(shape)))
            out.add(caption(s, row.caption, self.layout.caption_font, self.theme.text))
        return out

    def _formula(self, derivation: SizeDerivation) -> str:
        """The substituted size formula of every axis (once when the axes agree)."""
        subs = [ax.substituted for ax in derivation.axes]
        if len(set(subs)) == 1:
            return subs[0]
        return "   |   ".join(self.label("axis_prefix", axis=ax.axis) + ax.substituted
                               for ax in derivation.axes)

    def _arrow(self, a: VMobject, b: VMobject, color: str, *,
               backwards: bool = False) -> VMobject:
        """An edge from node ``a`` to node ``b``: one path (line, then filled tip), cheap to copy.

        ``backwards=True`` puts the tip at ``a`` (the line still listed from ``a`` to ``b``):
        a ``Transform`` from the forward edge keeps the line and slides the tip along it.
        """
        sw, tip = self.layout.edge_width, self.layout.tip
        pa, pb = a.get_center(), b.get_center()
        u = (pb - pa) / np.linalg.norm(pb - pa)
        n = np.array([-u[1], u[0], 0.0])
        r = self.layout.node / 2
        start, end = pa + u * r, pb - u * r
        if backwards:
            point, base = start, start + u * tip
            line = [base - u * tip * 0.3, end]
        else:
            point, base = end, end - u * tip
            line = [start, base + u * tip * 0.3]
        mob = VMobject()
        mob.set_points_as_corners(line)
        mob.start_new_path(point)
        mob.add_points_as_corners([base + n * tip * 0.45, base - n * tip * 0.45, point])
        mob.set_stroke(color, width=sw).set_fill(color, opacity=1.0)
        return mob

    def _edge_label(self, key: tuple[int, int, int]) -> VGroup:
        """The weight of edge ``key`` written on it (its colour a second cue): a small badge
        at a height set by the weight's place in the kernel, so badges of one output's fan-in,
        and of one input's fan-out, never share a height (they cannot collide); parallel edges
        of one weight are a stride apart."""
        lay, th = self.layout, self.theme
        k = key[2]
        a, b = self.in_nodes[key[0]].get_center(), self.out_nodes[key[1]].get_center()
        n = max(1, self.spec.kernel_size - 1)
        t = 0.22 + 0.5 * k / n
        text = self._weight_text(k)
        font = lay.cell_font(lay.node * 1.4, max(2, len(text)))
        label = make_text(text, font, th.ink("text"))
        pad = 0.05 * lay.node
        plate = RoundedRectangle(corner_radius=0.08 * lay.node, width=label.width + 3 * pad,
                                 height=label.height + 2 * pad)
        plate.set_fill(th.background, opacity=1.0).set_stroke(self._kcolors[k], width=1.5)
        badge = VGroup(plate, label).move_to(a + t * (b - a))
        self._edge_labels_drawn.append({"key": key, "text": text, "width": float(badge.width),
                                        "height": float(badge.height),
                                        "center": tuple(float(v) for v in badge.get_center())})
        return badge

    def _reversed(self, adj: ConvSpec) -> dict[tuple[int, int, int], VMobject]:
        """The adjoint's edges as arrows from the top row down, keyed by the drawn edge."""
        s = self.spec
        out: dict[tuple[int, int, int], VMobject] = {}
        self.reversed_edges = set()
        for e in connectivity(adj):
            a_in = _flat(e.in_index, adj.input_shape)
            a_out = _flat(e.out_index, adj.output_shape)
            k = _flat(e.kernel_index, adj.kernel_shape)  # type: ignore[arg-type]
            key = (a_out, a_in, k)  # the same edge in this spec's terms
            if key not in self.edge_of:
                raise RuntimeError(f"the adjoint's edge {e} is not an edge of {s}")
            self.reversed_edges.add((a_in, a_out, k))
            out[key] = self._arrow(self.in_nodes[a_out], self.out_nodes[a_in],
                                   self.edge_color[key], backwards=True)
            out[key].add(self._edge_label(key))
        if set(out) != set(self.edge_of):
            raise RuntimeError("the adjoint's graph differs from the reversed graph")
        self.record("reversed_edges", edges=set(self.reversed_edges))
        return out

    def _fan_in_marks(self, step: ConvStep, o: Index) -> VGroup:
        """Highlights for output ``o``: its node, the input nodes it reads, its window."""
        s, hl = self.spec, self.theme.highlight
        oflat = _flat(o, s.output_shape)
        feeding = [key[0] for key in self.edge_of if key[1] == oflat]
        marks = VGroup(self._ring(self.out_nodes[oflat], hl))
        if self._padded_row(s):  # the window on the padded row: every tap, padding included
            bottom = [self.bottom_nodes[t.grid_index[0]] for t in step.taps]
            marks.add(*[self._ring(n, hl) for n in bottom])
            if s.dilation[0] == 1:
                marks.add(SurroundingRectangle(VGroup(*bottom), color=hl, buff=0.12,
                                               stroke_width=2))
        else:
            marks.add(*[self._ring(self.in_nodes[k], hl) for k in feeding])
        if self.output_grid is not None:  # 2D: the locator grids
            marks.add(self.output_grid.get_cell(o, color=hl, stroke_width=3))
            if not s.transposed:  # the window on the padded input, padding included
                marks.add(self.input_grid.get_window(step, color=hl, stroke_width=3))
            else:
                for k in feeding:
                    idx = tuple(int(v) for v in np.unravel_index(k, s.input_shape))
                    marks.add(self.input_grid.get_cell(idx, color=hl, stroke_width=3))
        return marks

    def _ring(self, node: VMobject, color: str) -> VMobject:
        lay = self.layout
        radius = min(lay.node * 0.5 + 0.05, lay.pitch * 0.5)  # neighbours' rings never cross
        ring = Circle(radius=radius).move_to(node.get_center())
        return ring.set_stroke(color, width=3).set_fill(opacity=0)

    def _fan_out_marks(self, k: int, cell: Index) -> VGroup:
        """Highlights for input ``k`` (at ``cell``): its node and every output it reaches."""
        s, hl = self.spec, self.theme.highlight
        marks = VGroup(self._ring(self.in_nodes[k], hl))
        for key in self.edge_of:
            if key[0] == k:
                marks.add(self._ring(self.out_nodes[key[1]], hl))
                if self.output_grid is not None:
                    idx = tuple(int(v) for v in np.unravel_index(key[1], s.output_shape))
                    marks.add(self.output_grid.get_cell(idx, color=hl, stroke_width=3))
        if self.input_grid is not None:
            gidx = cell
            if not s.transposed:
                gidx = self._grid_index_of(cell)
            marks.add(self.input_grid.get_cell(gidx, color=hl, stroke_width=3))
        return marks

    def _grid_index_of(self, cell: Index) -> Index:
        """Where input ``cell`` sits on the drawn (padded) grid, read from the engine's map."""
        gmap = grid_input_index(self.spec)
        flat = _flat(cell, self.spec.input_shape)
        pos = np.argwhere(gmap == flat)[0]
        return tuple(int(v) for v in pos)

    def _padding_marks(self) -> VGroup:
        hl = self.theme.highlight
        marks = VGroup(*[self._ring(n, hl) for n in self.pad_nodes])
        if self.input_grid is not None:
            gmap = grid_input_index(self.spec)
            for pos in np.argwhere(gmap == -1):
                marks.add(self.input_grid.get_cell(tuple(int(v) for v in pos), color=hl,
                                                   stroke_width=2))
        return marks


def _weight_name(k: int, shape: tuple[int, ...]) -> str:
    """Weight ``k`` (flat) by its kernel index: ``w[0,2]``."""
    return "w" + format_index(np.unravel_index(k, shape))


def _uneven_inside(spec: ConvSpec, counts: dict[int, int]) -> bool:
    """Whether the fan-out counts rise and fall more than once along an axis (through the
    middle of the input): the uneven, checkerboard-like pattern of a stride, not just fewer
    outputs at the borders."""
    grid = np.array([counts[k] for k in range(spec.input_size)]).reshape(spec.input_shape)
    for a in range(spec.ndim):
        line = np.moveaxis(grid, a, 0)[(slice(None), *[n // 2 for n in
                                                       np.moveaxis(grid, a, 0).shape[1:]])]
        signs = [d for d in np.sign(np.diff(line)) if d != 0]
        if sum(1 for u, v in zip(signs, signs[1:]) if u != v) >= 2:
            return True
    return False
