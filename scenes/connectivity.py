"""A3 `Connectivity` and the transposed convolution by superposition, `Superposition`.

``Connectivity`` draws the engine's connectivity graph (:func:`convmath.connectivity`): input
cells and output cells as two rows of nodes (row-major), one edge per ``Edge`` coloured by its
kernel weight. It builds the graph output by output (fan-in), shows the fan-out of a border and a
central input cell, then reverses the arrows: read from output to input the same graph is the
adjoint (:meth:`ConvSpec.adjoint`), i.e. the transposed convolution, whose sizes come from
:func:`convmath.derive_output_size`.

``Superposition`` draws :func:`convmath.scatter_steps`: each input cell multiplies the kernel and
stamps it onto the output, the stamps add up (running sums, overlaps tinted by how many stamps a
cell received), padding crops the borders, and the result is checked against the equivalent direct
convolution (:func:`convmath.conv_steps` over :func:`convmath.grid_values`).

Run with defaults: ``manim -ql scenes/connectivity.py Connectivity`` (or ``Superposition``).
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
    ReplacementTransform,
    Succession,
    SurroundingRectangle,
    Text,
    Transform,
    VGroup,
    VMobject,
    smooth,
)

from convmath import (
    INSERTED_ZERO,
    PADDING_CELL,
    ConvMathError,
    ConvSpec,
    ConvStep,
    ScatterStep,
    SizeDerivation,
    connectivity,
    conv_steps,
    derive_output_size,
    grid_input_index,
    grid_kernel,
    grid_values,
    scatter_steps,
)
from convmath.explain import format_index, format_number, format_shape
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid
from scenes.kit.text import make_text
from scenes.kit.text import text_line as caption
from scenes.kit.theme import contrast_ratio
from scenes.layout import Box, NodeRowsLayout, fit_text, plan_node_rows, value_chars

__all__ = [
    "Connectivity",
    "Superposition",
    "FULL_STEPS",
    "FULL_STAMPS",
    "checkerboard_axes",
    "has_checkerboard",
]

#: Outputs (Connectivity) shown one by one before the rest speed up together.
FULL_STEPS = 3
#: Stamps (Superposition) shown in full (with their caption) before the rest go faster.
FULL_STAMPS = 2

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


class Connectivity(ConvScene):
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
    MAX_NODES_PER_ROW: ClassVar[int] = 64

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type(self).check_spec(self.spec, mode=self.mode)
        self.drawn_edges: set[tuple[int, int, int]] = set()
        self.reversed_edges: set[tuple[int, int, int]] = set()
        self.fan_out: dict[int, int] = {}

    @staticmethod
    def _padded_row(spec: ConvSpec) -> bool:
        """1D direct specs draw the padded input (padding nodes dashed) as the bottom row."""
        return spec.ndim == 1 and not spec.transposed

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """Raise :class:`ConvMathError` if ``spec`` has more nodes per row than the limit."""
        bottom = spec.grid_shape[0] if cls._padded_row(spec) else spec.input_size
        n = max(bottom, spec.output_size)
        if n > cls.MAX_NODES_PER_ROW:
            raise ConvMathError(
                f"spec is too large for {cls.__name__}: a row would hold {n} nodes (input "
                f"{format_shape(spec.input_shape)}, output {format_shape(spec.output_shape)}); "
                f"the limit is MAX_NODES_PER_ROW={cls.MAX_NODES_PER_ROW} nodes (e.g. an 8×8 "
                f"input), beyond which the edges cannot be told apart"
            )

    # -- building ----------------------------------------------------------------------------

    def construct(self) -> None:
        s, th = self.spec, self.theme
        edges = connectivity(s)
        steps = conv_steps(self.x, self.w, s)
        in_cells = [tuple(int(v) for v in i) for i in np.ndindex(*s.input_shape)]
        out_cells = [tuple(int(v) for v in i) for i in np.ndindex(*s.output_shape)]
        padded = self._padded_row(s)
        gmap = grid_input_index(s)
        if padded:
            bottom_kinds = [int(v) for v in gmap]  # grid position → flat input or padding
        else:
            bottom_kinds = list(range(s.input_size))
        if s.ndim == 1:
            top_groups, bottom_groups = [s.output_size], [len(bottom_kinds)]
            top_grid = bottom_grid = None
        else:
            top_groups = [s.output_shape[1]] * s.output_shape[0]
            bottom_groups = [s.input_shape[1]] * s.input_shape[0]
            top_grid = s.output_shape
            bottom_grid = s.grid_shape if not s.transposed else s.input_shape
        fw, fh = self.frame_size()
        lay = plan_node_rows(
            top_groups, bottom_groups, frame_width=fw, frame_height=fh, top_grid=top_grid,
            bottom_grid=bottom_grid, legend=s.kernel_shape, top_rows=1, bottom_rows=2,
        )
        self.layout = lay
        top_row, bottom_row = lay.rows

        # Nodes: output row on top, input row below (data flows up, as in the paper's figures).
        self.out_nodes = VGroup(*[
            self._node(x, top_row.y, "output") for x in top_row.xs
        ])
        self.in_nodes: dict[int, VMobject] = {}
        self.pad_nodes = VGroup()
        bottom_all = VGroup()
        for x, kind in zip(bottom_row.xs, bottom_kinds):
            if kind >= 0:
                node = self._node(x, bottom_row.y, "input")
                self.in_nodes[kind] = node
            else:
                node = self._node(x, bottom_row.y, "padding")
                self.pad_nodes.add(node)
            bottom_all.add(node)
        self.bottom_nodes = list(bottom_all)  # by position in the bottom row
        node_labels = VGroup()
        self._add_node_labels(node_labels, self.out_nodes, out_cells, lay)
        in_list = [self.in_nodes[k] for k in range(s.input_size)]
        self._add_node_labels(node_labels, VGroup(*in_list), in_cells, lay)
        group_labels = VGroup()
        for row in lay.rows:
            for r, box in enumerate(row.groups):
                label = make_text(self.label("conn_row_group", r=r), lay.caption_font * 0.8,
                                   th.muted_text)
                if label.width > box.width:  # narrow groups: the row number alone
                    label = make_text(str(r), lay.caption_font * 0.8, th.muted_text)
                group_labels.add(fit_text(label, box))

        # Locator grids beside the rows (2D) and the kernel legend.
        kcolors = th.kernel_colors(s.kernel_size)
        legend_slot = lay.legend
        self.kernel_grid = CellGrid(
            s.kernel_shape, legend_slot.cell, theme=th, role="kernel", colors=kcolors,
            tint=False, center=legend_slot.box.center,
        )
        legend_values = VGroup()
        if self.numeric:  # the weights, in black or white: whichever reads on the edge colour
            font = lay.cell_font(legend_slot.cell, value_chars(self.w))
            for k, idx in enumerate(np.ndindex(*s.kernel_shape)):
                ink = max((th.text, th.background), key=lambda c: contrast_ratio(c, kcolors[k]))
                legend_values.add(make_text(format_number(self.w[idx]), font, ink).move_to(
                    self.kernel_grid.cell_center(tuple(int(v) for v in idx))))
        self.kernel_grid.add(legend_values)
        legend_cap = self._fit(self.label("kernel"), legend_slot.caption, lay.caption_font,
                               th.text)
        self.output_grid = self.input_grid = None
        if top_row.grid is not None:
            self.output_grid = CellGrid(s.output_shape, top_row.grid.cell, theme=th,
                                        role="output", center=top_row.grid.box.center)
            kinds = gmap if not s.transposed else None
            self.input_grid = CellGrid(bottom_grid, bottom_row.grid.cell, theme=th,
                                       role="input", kinds=kinds,
                                       center=bottom_row.grid.box.center)
        row_caps = self._row_captions(("output", "input"), s.output_shape, s.input_shape)

        # Edges: one arrow per Edge, coloured by its weight; the reversed arrows for the end.
        self.edge_of: dict[tuple[int, int, int], VMobject] = {}
        by_out: dict[int, list[VMobject]] = {}
        by_in: dict[int, list[VMobject]] = {}
        self.edge_color: dict[tuple[int, int, int], str] = {}
        for e in edges:
            key = (_flat(e.in_index, s.input_shape), _flat(e.out_index, s.output_shape),
                   _flat(e.kernel_index, s.kernel_shape))  # type: ignore[arg-type]
            color = kcolors[key[2]]
            arrow = self._arrow(self.in_nodes[key[0]], self.out_nodes[key[1]], color)
            self.edge_of[key] = arrow
            self.edge_color[key] = color
            by_out.setdefault(key[1], []).append(arrow)
            by_in.setdefault(key[0], []).append(arrow)
        self.drawn_edges = set(self.edge_of)
        self.record("edges", edges=set(self.drawn_edges))

        # Text rows.
        title = self._row(self.label("conn_title"), lay.top[0])
        fan_in_text = self._row(self.label("conn_fan_in"), lay.bottom[0], muted=True)
        derivation = derive_output_size(s, self.lang)
        formula = self._row(self._formula(derivation), lay.bottom[1])

        static = VGroup(self.out_nodes, bottom_all, node_labels, group_labels, self.kernel_grid,
                        legend_cap, row_caps)
        if self.output_grid is not None:
            static.add(self.output_grid, self.input_grid)
        # The empty graph appears at once (a full-screen fade-in is a large part of a GIF).
        self.add(static, title, fan_in_text, formula)
        self.wait(self.step_time)

        # Fan-in: output by output; the first few in full, the rest together.
        cursor = VGroup()
        for o in out_cells[:FULL_STEPS]:
            oflat = _flat(o, s.output_shape)
            marks = self._fan_in_marks(steps[oflat], o)
            anims = [Create(a) for a in by_out.get(oflat, [])]
            self.play(FadeOut(cursor), FadeIn(marks), *anims, run_time=self.step_time)
            cursor = marks
        rest = out_cells[FULL_STEPS:]
        if rest:
            groups = [AnimationGroup(*[Create(a) for a in by_out.get(
                _flat(o, s.output_shape), [])]) for o in rest]
            groups = [g for g in groups if g.animations]
            self.play(FadeOut(cursor), LaggedStart(*groups, lag_ratio=0.6) if groups else
                      FadeOut(VGroup()), run_time=self.step_time * min(4.0, 0.5 + 0.3 * len(rest)))
        else:
            self.play(FadeOut(cursor), run_time=self.step_time * 0.3)
        all_arrows = VGroup(*self.edge_of.values())
        self.add(all_arrows)
        self.bring_to_front(self.out_nodes, bottom_all, node_labels)  # tips never hide a label

        # Fan-out: a border cell and the cell reaching the most outputs.
        counts = {k: len(by_in.get(k, [])) for k in range(s.input_size)}
        border = 0
        centre = np.array([(n - 1) / 2 for n in s.input_shape])
        central = max(
            range(s.input_size),
            key=lambda k: (counts[k], -float(np.sum((np.array(in_cells[k]) - centre) ** 2))),
        )
        chosen = [border] if central == border else [border, central]
        for k in chosen:
            self.fan_out[k] = counts[k]
        self.record("fan_out", counts=dict(self.fan_out))
        prev = VGroup()
        texts = []
        for k in chosen:
            texts.append(self.label("conn_fan_out", cell=format_index(in_cells[k]), n=counts[k]))
        for i, k in enumerate(chosen):
            line = " · ".join(texts[: i + 1])
            if i == len(chosen) - 1 and len(chosen) > 1 and counts[chosen[0]] < counts[k]:
                line += " " + self.label("conn_border_fewer")
            new_text = self._row(line, lay.bottom[0], muted=True)
            marks = self._fan_out_marks(k, in_cells[k])
            mine = by_in.get(k, [])
            dims = [VGroup(*[a for a in all_arrows if a not in mine]).animate(
                rate_func=_DIM).set_opacity(0.12)]
            lit = [VGroup(*mine).animate(rate_func=_DIM).set_opacity(1.0)] if mine else []
            self.play(FadeOut(prev), FadeIn(marks), _swap(fan_in_text, new_text),
                      *dims, *lit, run_time=self.step_time)
            self.wait(self.step_time * 0.6)  # time to read the count
            fan_in_text = new_text
            prev = marks
        if any(b or a for b, a in s.pads) and not s.transposed:
            pad_marks = self._padding_marks()
            new_text = self._row(self.label("conn_padding"), lay.bottom[0], muted=True)
            self.play(FadeOut(prev), FadeIn(pad_marks), _swap(fan_in_text, new_text),
                      all_arrows.animate(rate_func=_DIM).set_opacity(0.12),
                      run_time=self.step_time)
            self.wait(self.step_time * 0.6)
            fan_in_text = new_text
            prev = pad_marks

        # Reverse the arrows: the same graph read from output to input is the adjoint.
        try:
            adj = s.adjoint()
        except ConvMathError:
            self.play(FadeOut(prev), all_arrows.animate(rate_func=_DIM).set_opacity(1.0),
                      run_time=self.step_time)
            return
        reversed_arrows = self._reversed(adj)
        kind = self.label(_kind_key(adj))
        new_title = self._row(self.label("conn_reverse_title", kind=kind), lay.top[0])
        new_text = self._row(self.label("conn_reverse", kind=kind), lay.bottom[0], muted=True)
        new_formula = self._row(self._formula(derive_output_size(adj, self.lang)), lay.bottom[1])
        new_caps = self._row_captions(("input", "output"), adj.input_shape, adj.output_shape)
        self.play(FadeOut(prev), all_arrows.animate(rate_func=_DIM).set_opacity(1.0),
                  run_time=self.step_time * 0.5)
        # The arrows re-point over the whole play (their tips slide along the edges); the nodes
        # swap roles in a few frames half-way (their captions and sizes with them), the title and
        # the sentence change at once when the arrows start.
        swap_roles = _ramp(0.4, 0.6)
        recolor = [
            *[n.animate(rate_func=swap_roles).set_stroke(th.input).set_fill(th.fill("input"))
              for n in self.out_nodes],
            *[n.animate(rate_func=swap_roles).set_stroke(th.output).set_fill(th.fill("output"))
              for n in self.in_nodes.values()],
        ]
        if self.output_grid is not None:  # the locator grids swap roles too
            for grid, role in ((self.output_grid, "input"), (self.input_grid, "output")):
                swapped = CellGrid(grid.shape, grid.cell_size, theme=th, role=role,
                                   kinds=grid.kinds if grid is self.input_grid else None,
                                   center=grid.outline.get_center())
                recolor.append(Transform(grid, swapped, rate_func=swap_roles))
        self.play(
            *[Transform(self.edge_of[key], arrow) for key, arrow in reversed_arrows.items()],
            *recolor,
            _swap(title, new_title), _swap(fan_in_text, new_text),
            _swap(formula, new_formula, at=0.5), _swap(row_caps, new_caps, at=0.5),
            run_time=self.step_time * 2,
        )
        self.wait(self.step_time)

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
            s = self.label("conn_row", name=self.label(name), shape=format_shape(shape))
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


# ---------------------------------------------------------------------------------------------
# Superposition


def _canvas_spec(spec: ConvSpec) -> ConvSpec:
    """The spec whose output is the whole stamped area: a transposed spec without its cropping.

    A transposed convolution stamps onto ``(i−1)s + d(k−1) + 1 (+ output_padding)`` cells and
    then crops ``padding`` from the borders; the same spec with ``padding=0`` says where every
    stamp lands. A direct spec stamps straight onto its output.
    """
    if not spec.transposed:
        return spec
    return ConvSpec(
        spec.input_shape, spec.kernel_shape, stride=spec.stride, padding=0,
        dilation=spec.dilation, transposed=True, output_padding=spec.resolved_output_padding,
        flip=spec.flip,
    )


def _stamp_counts(spec: ConvSpec) -> np.ndarray:
    """How many stamps (contributions) reach each output cell, from the engine's edges."""
    counts = np.zeros(spec.output_shape, dtype=np.int64)
    for e in connectivity(spec):
        counts[e.out_index] += 1
    return counts


def checkerboard_axes(spec: ConvSpec) -> tuple[int, ...]:
    """The axes on which a transposed spec's stamps overlap unevenly away from the borders.

    Decided from the engine's numbers, one axis at a time: the same kernel, stride and dilation
    on a 1D probe input large enough to have inner cells, with ``padding="full"`` (which crops
    exactly the border cells that some stamps cannot reach); the inner cells' stamp counts are
    uneven exactly when the kernel's taps do not fall evenly on the stride's phases (for
    dilation 1: the kernel size is not a multiple of the stride). Direct specs: none.
    """
    if not spec.transposed:
        return ()
    uneven = []
    for a in range(spec.ndim):
        probe = ConvSpec(
            (spec.effective_kernel_shape[a] + 2,), spec.kernel_shape[a],  # type: ignore[index]
            stride=spec.stride[a], dilation=spec.dilation[a], padding="full", transposed=True,
        )
        if len(set(_stamp_counts(probe).ravel().tolist())) > 1:
            uneven.append(a)
    return tuple(uneven)


def has_checkerboard(spec: ConvSpec) -> bool:
    """Whether a transposed spec's stamps overlap unevenly (see :func:`checkerboard_axes`)."""
    return bool(checkerboard_axes(spec))


class Superposition(ConvScene):
    """The transposed convolution as a sum of stamps (also valid for a direct spec).

    Parameters
    ----------
    spec, x, w, mode, theme, lang, step_time
        As :class:`scenes.base.ConvScene` (default: transposed, 2×2 input, 3×3 kernel,
        stride 2).

    Attributes
    ----------
    canvas_spec : ConvSpec
        Where the stamps land before cropping (see :func:`_canvas_spec`).
    stamped : dict
        Canvas index → list of ``(input index, kernel index, product)`` drawn onto it.
    canvas_sums : numpy.ndarray
        The sum of the products of every stamp drawn on each canvas cell.
    canvas_values : numpy.ndarray
        The running sums written on the canvas after the last stamp (numeric mode; schematic:
        ``canvas_sums``).
    final_values : numpy.ndarray
        The drawn result after cropping (``spec.output_shape``).
    direct_values : numpy.ndarray
        The values written by the sliding window of the equivalent direct convolution.
    direct_real_taps : numpy.ndarray
        Real (non-padding, non-inserted) input cells under each window: the direct view's tint.
    stamp_counts : numpy.ndarray
        Stamps received by each output cell (the tint).
    checkerboard : bool
        Whether the checkerboard was named.

    Raises
    ------
    ValueError
        (:class:`convmath.ConvMathError`) past :attr:`MAX_INPUT_CELLS` stamps or a canvas side
        longer than :attr:`MAX_CANVAS_SIDE`.
    """

    default_spec: ClassVar[ConvSpec] = ConvSpec((2, 2), 3, stride=2, transposed=True)
    default_kernel: ClassVar[str] = "seed-2d"
    #: Most input cells (one stamp each) drawn: an 8×8 input (the gallery's largest is 7×7).
    MAX_INPUT_CELLS: ClassVar[int] = 64
    #: Longest side of the stamped canvas (and of the equivalent direct grid).
    MAX_CANVAS_SIDE: ClassVar[int] = 16

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type(self).check_spec(self.spec, mode=self.mode)
        self.canvas_spec = _canvas_spec(self.spec)
        self.stamped: dict[Index, list[tuple[Index, Index, float]]] = {}
        self.checkerboard = False

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """Raise :class:`ConvMathError` if ``spec`` is past the drawable size."""
        if spec.input_size > cls.MAX_INPUT_CELLS:
            raise ConvMathError(
                f"spec is too large for {cls.__name__}: input {format_shape(spec.input_shape)} "
                f"has {spec.input_size} cells, one stamp each; the limit is "
                f"MAX_INPUT_CELLS={cls.MAX_INPUT_CELLS}"
            )
        side = max(*_canvas_spec(spec).output_shape, *spec.grid_shape)
        if side > cls.MAX_CANVAS_SIDE:
            raise ConvMathError(
                f"spec is too large for {cls.__name__}: a grid side of {side} cells (stamped "
                f"output {format_shape(_canvas_spec(spec).output_shape)}, direct grid "
                f"{format_shape(spec.grid_shape)}); the limit is "
                f"MAX_CANVAS_SIDE={cls.MAX_CANVAS_SIDE}"
            )

    def construct(self) -> None:
        s, cs, th = self.spec, self.canvas_spec, self.theme
        steps = scatter_steps(self.x, self.w, cs)
        kcolors = th.kernel_colors(s.kernel_size)
        products = [c.product for st in steps for c in st.contributions]
        chars = value_chars(self.x, self.w, products, *[st.partial for st in steps])
        _, lay = self.plan_best(
            [
                [[s.input_shape], [s.kernel_shape], [cs.output_shape]],
                [[s.input_shape, s.kernel_shape], [cs.output_shape]],
            ],
            top_rows=1, bottom_rows=2, chars=chars,
        )
        self.layout = lay
        vf = lay.value_font if lay.numeric else None
        g_in, g_k, g_out = lay.grids
        self.input_grid = CellGrid(s.input_shape, lay.cell, theme=th, values=self.x,
                                   value_font=vf, center=g_in.box.center)
        self.kernel_grid = CellGrid(s.kernel_shape, lay.cell, theme=th, role="kernel",
                                    colors=kcolors, values=self.w, value_font=vf,
                                    center=g_k.box.center)
        canvas = CellGrid(cs.output_shape, lay.cell, theme=th, role="output", filled=False,
                          center=g_out.box.center)
        self.output_grid = canvas
        caps = VGroup(
            caption(self.label("input"), g_in.caption, lay.caption_font, th.text),
            caption(self.label("kernel"), g_k.caption, lay.caption_font, th.text),
        )
        canvas_cap = caption(self.label("sup_canvas" if s.transposed else "output"),
                             g_out.caption, lay.caption_font, th.text)
        title = self._row(self.label("sup_title"), lay.top[0])
        self._lines: dict[int, Text | None] = {1: None, 2: None}
        # The opening figure appears at once (a full-screen fade-in is a large part of a GIF).
        self.add(self.input_grid, self.kernel_grid, canvas, caps, canvas_cap, title)
        self.wait(self.step_time)

        # Overlap tint: one square per canvas cell, darker with every stamp it receives.
        final_counts = _stamp_counts(cs)
        top_count = max(1, int(final_counts.max()))
        cells = [tuple(int(v) for v in i) for i in np.ndindex(*cs.output_shape)]
        tints = {c: canvas.get_cell(c, color=th.output, fill_opacity=0, stroke_width=0)
                 for c in cells}
        self.add(VGroup(*tints.values()))
        self.bring_to_front(canvas)
        count = {c: 0 for c in cells}
        shown: dict[Index, Text] = {}  # the running sum written in each canvas cell
        shown_value: dict[Index, float] = {}
        drawn = np.zeros(cs.output_shape)  # the sum of the stamps' products, as drawn
        key = "sup_stamp" if s.transposed else "sup_stamp_direct"

        def stamp_animation(st: ScatterStep, full: bool) -> list[AnimationGroup]:
            """Highlight the input cell, scale the kernel, move the stamp, add it up: the
            three phases of one stamp."""
            hl = self.input_grid.get_cell(st.in_index, color=th.highlight, stroke_width=5)
            stamp, target = VGroup(), VGroup()
            updates = []
            for c in st.contributions:
                src = self.kernel_grid.get_cell(c.kernel_index, color=th.highlight,
                                                fill_opacity=0, stroke_width=3)
                src.set_fill(th.tint(kcolors[_flat(c.kernel_index, s.kernel_shape)]),
                             opacity=0.9)
                piece = VGroup(src)
                if vf is not None:
                    piece.add(make_text(format_number(c.product), vf, th.text)
                              .move_to(src.get_center()))
                stamp.add(piece)
                target.add(piece.copy().move_to(canvas.cell_center(c.out_index)))
                count[c.out_index] += 1
                drawn[c.out_index] += c.product
                self.stamped.setdefault(c.out_index, []).append(
                    (st.in_index, c.kernel_index, c.product))
            touched = list(dict.fromkeys(c.out_index for c in st.contributions))
            for o in touched:
                updates.append(tints[o].animate.set_fill(
                    opacity=0.7 * count[o] / top_count))
                if vf is not None:
                    new = make_text(format_number(st.partial[o]), vf, th.text).move_to(
                        canvas.cell_center(o))
                    shown_value[o] = float(st.partial[o])
                    if o in shown:
                        updates.append(Transform(shown[o], new))
                    else:
                        shown[o] = new
                        updates.append(FadeIn(new))
            self.record("stamp", in_index=st.in_index,
                        cells={c.out_index: c.kernel_index for c in st.contributions})
            # Played in one Succession with other stamps, the highlight and the stamp are in the
            # scene from the start of the play(): they start transparent and are shown by a
            # Transform (a FadeIn would leave them visible until their turn).
            hl_on, stamp_on = hl.copy(), stamp.copy()
            hl.set_stroke(opacity=0)
            stamp.set_opacity(0)
            show = [Transform(hl, hl_on), Transform(stamp, stamp_on)]
            move = [Transform(stamp, target)]
            if full:  # the caption: the old line goes as the stamp appears, the new one comes
                cell_text = self._row(self.label(key, cell=format_index(st.in_index),
                                                 v=format_number(st.x_value)),
                                      lay.bottom[0], muted=True)
                old, self._lines[1] = self._lines[1], cell_text
                show += [_swap(old, None)] if old is not None else []
                move.append(_swap(None, cell_text))  # hard cuts: text fades cost bytes
            # Three phases, for one flat Succession.
            return [
                AnimationGroup(*show),
                AnimationGroup(*move),
                AnimationGroup(FadeOut(stamp), FadeOut(hl), *updates),
            ]

        n_full = FULL_STAMPS if len(steps) > FULL_STAMPS + 1 else len(steps)
        for n, st in enumerate(steps[:n_full]):
            anims = [Succession(*stamp_animation(st, True))]
            if n == 1:
                anims.extend(self._say(2, self._row(self.label("sup_overlap"),
                                                      lay.bottom[1], muted=True)))
            self.play(*anims, run_time=self.step_time * 2)
        rest = steps[n_full:]
        if rest:
            self.play(*self._say(1, self._row(self.label("sup_fast", n=len(rest)),
                                               lay.bottom[0], muted=True)),
                      run_time=self.step_time * 0.3)
        per_play, per_stamp = (4, 0.8) if len(rest) <= 16 else (8, 0.35)  # long runs go faster
        for i in range(0, len(rest), per_play):
            batch = rest[i:i + per_play]
            phases = [phase for st in batch for phase in stamp_animation(st, False)]
            self.play(Succession(*phases),
                      run_time=self.step_time * per_stamp * len(batch))
        self.canvas_sums = drawn.copy()
        self.canvas_values = drawn.copy()  # the numbers on screen (schematic: the sums drawn)
        for o, v in shown_value.items():
            self.canvas_values[o] = v
        self.record("canvas", values=self.canvas_values.copy())

        # Cropping and output padding (transposed): read from the spec's padding.
        inside = np.ones(cs.output_shape, dtype=bool)
        crop = tuple(slice(pb, pb + o) for (pb, _), o in zip(s.pads, s.output_shape))
        if not s.transposed:  # a direct spec's padding is on the input: nothing to crop
            crop = tuple(slice(None) for _ in s.output_shape)
        if s.transposed and any(b or a for b, a in s.pads):
            inside[:] = False
            inside[crop] = True
            kinds = np.where(inside, 0, -1)
            cropped = CellGrid(cs.output_shape, lay.cell, theme=th, role="output", filled=False,
                               kinds=kinds, center=canvas.outline.get_center())
            gone = [shown[c] for c in shown if not inside[c]]
            gone += [tints[c] for c in cells if not inside[c]]
            pads_text = ", ".join(f"{b}:{a}" if b != a else str(b) for b, a in s.pads)
            if len(set(s.pads)) == 1:
                pads_text = pads_text.split(", ")[0]
            self.play(_swap(canvas, cropped), *[FadeOut(m) for m in gone],
                      *self._say(1, self._row(self.label("sup_crop", p=pads_text),
                                               lay.bottom[0], muted=True)),
                      run_time=self.step_time)
            self.wait(self.step_time * 0.6)
            canvas = self.output_grid = cropped
        self.final_values = self.canvas_values[crop].copy()
        self.stamp_counts = final_counts[crop].copy()
        self.record("final", values=self.final_values.copy())
        op = s.resolved_output_padding
        if s.transposed and any(op):
            marks = VGroup()
            for c in cells:
                if inside[c] and any(
                    ci - pb >= o - p for ci, (pb, _), o, p in zip(c, s.pads, s.output_shape, op)
                ):
                    marks.add(canvas.get_cell(c, color=th.highlight, stroke_width=3))
            op_text = "×".join(str(v) for v in op) if len(set(op)) > 1 else str(op[0])
            self.play(FadeIn(marks), *self._say(1, self._row(
                self.label("sup_output_padding", op=op_text), lay.bottom[0], muted=True)),
                run_time=self.step_time)
            self.wait(self.step_time * 0.6)
            self.play(FadeOut(marks), run_time=self.step_time * 0.3)

        # The same result by the equivalent direct convolution (the A1 view).
        # Each result cell (its tint and its number) keyed by its output index, row-major.
        offset = [sl.start or 0 for sl in crop]
        result: dict[Index, tuple[VMobject, Text | None]] = {}
        for idx in np.ndindex(*s.output_shape):
            c = tuple(int(i + o) for i, o in zip(idx, offset))
            result[tuple(int(v) for v in idx)] = (tints[c], shown.get(c))
        inside_cells = [tuple(int(v) for v in c) for c in np.argwhere(inside)]
        self._equivalence(result, canvas.cells_box(inside_cells), canvas.cell_size, title,
                          kcolors)

    def _equivalence(self, result: dict[Index, tuple[VMobject, Text | None]], result_box: Box,
                     cell: float, title: Text, kcolors: list[str]) -> None:
        s, th = self.spec, self.theme
        steps = conv_steps(self.x, self.w, s)
        gk = grid_kernel(self.w, s)
        colors = [kcolors[_flat(t.kernel_index, s.kernel_shape)] for t in steps[0].taps]
        chars = value_chars(grid_values(self.x, s), gk, self.final_values)
        lay = self.plan(
            [[s.grid_shape], [s.kernel_shape], [s.output_shape], [s.output_shape]],
            top_rows=1, bottom_rows=2, chars=chars,
        )
        vf = lay.value_font if lay.numeric else None
        g_grid, g_k, g_direct, g_sup = lay.grids
        # The grid is named from what the engine laid in it: inserted zeros, padding, or neither.
        kinds = grid_input_index(s)
        grid_key = ("sup_stretched" if (kinds == INSERTED_ZERO).any()
                    else "sup_padded" if (kinds == PADDING_CELL).any() else "input")
        grid = CellGrid(s.grid_shape, lay.cell, theme=th, kinds=kinds,
                        values=grid_values(self.x, s), value_font=vf, center=g_grid.box.center)
        kernel = CellGrid(s.kernel_shape, lay.cell, theme=th, role="kernel", colors=colors,
                          values=gk, value_font=vf, center=g_k.box.center)
        direct = CellGrid(s.output_shape, lay.cell, theme=th, role="output", filled=False,
                          center=g_direct.box.center)
        # The superposition result, moved into the last column (same cells, tint and numbers).
        flipped = s.flip != s.transposed
        kernel_key = "flipped_kernel" if flipped else "kernel"
        self.record("equivalence", grid=grid_key, kernel=kernel_key)
        caps = VGroup(
            caption(self.label(grid_key), g_grid.caption, lay.caption_font, th.text),
            caption(self.label(kernel_key), g_k.caption, lay.caption_font, th.text),
            caption(self.label("sup_direct" if s.transposed else "sup_sliding"),
                    g_direct.caption, lay.caption_font, th.text),
            caption(self.label("sup_superposition"), g_sup.caption, lay.caption_font, th.text),
        )
        sup = CellGrid(s.output_shape, lay.cell, theme=th, role="output", filled=False,
                       center=g_sup.box.center)
        counts = self.stamp_counts
        top_count = max(1, int(counts.max()))
        # The result moves cell by cell (tint onto tint, number onto number) with the outlines
        # of the cells it covers on the canvas: every piece has its own target.
        here = CellGrid(s.output_shape, cell, theme=th, role="output", filled=False,
                        center=result_box.center)
        moves = [ReplacementTransform(here, sup)]
        for idx, (tint, text) in result.items():
            target = sup.get_cell(idx, color=th.output, stroke_width=0,
                                  fill_opacity=0.7 * counts[idx] / top_count)
            moves.append(ReplacementTransform(tint, target))
            if vf is not None:
                number = make_text(format_number(self.final_values[idx]), vf, th.text).move_to(
                    sup.cell_center(idx))
                moves.append(ReplacementTransform(text, number) if text is not None
                             else FadeIn(number))
        equals = make_text("=", lay.caption_font, th.text).move_to(
            (direct.outline.get_right() + sup.outline.get_left()) / 2)
        keep = (title, *[m for m in self._lines.values() if m is not None])
        old = [m for m in self.mobjects if m not in keep]
        # The stamping view goes at once and the result moves alone into its new place; then
        # the direct view appears at once (cross-fading both layouts redrew most of the frame).
        pieces = [m for pair in result.values() for m in pair if m is not None]
        # Everything else goes at once; the pieces are re-added once each (a running sum shown
        # by FadeIn in a batch of stamps can be listed twice, and would stay behind).
        self.remove(*old, *pieces)
        self.add(here, *pieces)
        self.play(*moves, *self._say(1, None), *self._say(2, None), run_time=self.step_time)
        self.add(sup.copy())  # outlines above the tint
        self.add(grid, kernel, direct, caps)
        self.wait(self.step_time * 0.6)

        # The window sweeps every step; its value goes into the direct output.
        window = grid.get_window(steps[0])
        values = np.zeros(s.output_shape)
        real_taps = np.zeros(s.output_shape, dtype=np.int64)
        anims = []
        for n, step in enumerate(steps):
            values[step.out_index] = step.value
            new_window = grid.get_window(step)
            val = []
            if vf is not None:
                val = [FadeIn(make_text(format_number(step.value), vf, th.text)
                              .move_to(direct.cell_center(step.out_index)))]
            # Tinted like the stamps: the window covers one real input cell per stamp.
            real = sum(t.in_index is not None for t in step.taps)
            real_taps[step.out_index] = real
            mark = direct.get_cell(step.out_index, color=th.output, stroke_width=0,
                                   fill_opacity=0.7 * real / top_count)
            anims.append(AnimationGroup(Transform(window, new_window) if n else
                                        FadeIn(window), FadeIn(mark), *val))
        self.direct_values = values
        self.direct_real_taps = real_taps
        self.record("direct", values=values.copy())
        per = 0.5 if len(steps) <= 9 else 0.2
        self.play(Succession(*anims), run_time=self.step_time * max(1.0, per * len(steps)))
        self.play(FadeOut(window), FadeIn(equals), *self._say(1, self._row(
            self.label("sup_equal", grid=self.label(grid_key), kernel=self.label(kernel_key))
            if s.transposed else self.label("sup_equal_direct", grid=self.label(grid_key)),
            lay.bottom[0],
            muted=True)), run_time=self.step_time)

        # The checkerboard: named from the engine's stamp counts.
        if s.transposed:
            axes = checkerboard_axes(s)
            self.checkerboard = bool(axes)
            k = "×".join(str(v) for v in dict.fromkeys(s.kernel_shape))  # type: ignore[union-attr]
            st = "×".join(str(v) for v in dict.fromkeys(s.stride))
            if axes and len(axes) < s.ndim:  # name the uneven axis only
                k = self.label("sup_on_axis", v=s.kernel_shape[axes[0]], axis=axes[0])
                st = str(s.stride[axes[0]])
            levels = ", ".join(str(v) for v in sorted(set(int(v) for v in counts.ravel())))
            if axes and any(s.dilation[a] > 1 for a in axes):
                msg = self.label("sup_checkerboard_dilated", counts=levels)
            elif axes:
                msg = self.label("sup_checkerboard", k=k, s=st, counts=levels)
            else:
                msg = self.label("sup_even", k=k, s=st, n=int(counts.max()))
            self.play(*self._say(2, self._row(msg, lay.bottom[1])), run_time=self.step_time)
        self.wait(self.step_time)

    def _row(self, s: str, box: Box, *, muted: bool = False) -> Text:
        color = self.theme.muted_text if muted else self.theme.text
        return fit_text(make_text(s, self.layout.text_font, color), box)

    def _say(self, n: int, new: Text | None) -> list[Animation]:
        """Replace text row ``n`` (1 or 2 under the grids): fade the old line out, the new in."""
        old, self._lines[n] = self._lines[n], new
        return [_swap(old, new)] if old is not None or new is not None else []
