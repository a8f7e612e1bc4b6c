"""A2 ``MatrixView``: a convolution is a product with a sparse (Toeplitz-like) matrix.

The input is unrolled into a column vector ``x``; the kernel's weights are laid into the rows of
``C`` (one row per window position, each weight at the column of the input cell under it, zeros
elsewhere); row ``r`` of ``C`` times ``x`` is output cell ``r``, and ``y = C·x`` folds back into
the output grid. For a transposed spec the direct convolution's ``C`` is built first and
transposed: ``Cᵀ·x`` is exactly the transposed convolution.

Everything drawn comes from :func:`convmath.conv_matrix` (which weight sits where),
:func:`convmath.conv_steps` (the windows), :func:`convmath.convolve` (the result) and the spec;
positions and sizes come from :func:`scenes.layout.plan_matrix`.

Run with defaults: ``manim -ql scenes/matrix.py MatrixView``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from manim import (
    PI,
    AnimationGroup,
    FadeIn,
    FadeOut,
    LaggedStart,
    Mobject,
    Rectangle,
    ReplacementTransform,
    Square,
    Text,
    Transform,
    VGroup,
    VMobject,
    smooth,
)

from convmath import (
    ConvMatrix,
    ConvSpec,
    adjoint_or_none,
    conv_matrix,
    conv_steps,
    convolve,
    describe_spec,
    format_axes,
    format_number,
    format_padding,
    format_shape,
    grid_input_index,
    grid_values,
)
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid, show_or_move
from scenes.kit.pacing import Pacer, plan_pacing
from scenes.kit.text import make_text
from scenes.kit.text import text_line as caption
from scenes.kit.theme import contrast_ratio
from scenes.layout import (
    GridSlot,
    MatrixLayout,
    fit_text,
    value_chars,
)
from scenes.matrix_claims import MatrixClaims
from scenes.plans import matrix as matrix_plan
from scenes.plans.matrix import names_chars as _names_chars

__all__ = ["MatrixView", "weight_name", "entry_name"]

Index = tuple[int, ...]

_SUBSCRIPTS = str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉‚")

#: Mathematical symbols (the same in every language): kernel, input vector, output vector.
W_SYMBOL, X_SYMBOL, Y_SYMBOL, C_SYMBOL, CT_SYMBOL = "w", "x", "y", "C", "Cᵀ"
DOT, EQUALS, TIMES = "·", "=", "·"

#: Rows of ``C`` shown one at a time (with their window) before the rest go faster.
_SLOW_ROWS = 2
#: Stroke of the window on the (small) input grid: :meth:`CellGrid.get_window`'s path, thinner
#: than SlidingFilter's 5 so its outline stays on the cell borders; the numbers are drawn above it.
WINDOW_STROKE = 3.0
#: z-index of the numbers on the input grid and ``x``: above windows and highlights.
_VALUES_Z = 1


def _sub(index: Index) -> str:
    sep = "," if any(v >= 10 for v in index) else ""
    return sep.join(str(v) for v in index).translate(_SUBSCRIPTS)


def weight_name(kernel_index: Index) -> str:
    """The name of one kernel weight: ``(0, 1)`` → ``w₀₁``, ``(2,)`` → ``w₂``."""
    return W_SYMBOL + _sub(tuple(int(v) for v in kernel_index))


def entry_name(symbol: str, flat: int) -> str:
    """A vector entry's name: ``entry_name("x", 5)`` → ``x₅``."""
    return symbol + _sub((int(flat),))


class MatrixView(MatrixClaims, ConvScene):
    """The convolution as ``y = C·x`` (and the transposed one as ``y = Cᵀ·x``).

    The story: the input's cells travel into the column vector ``x``; the empty ``C`` (all
    zeros) fills row by row, each weight flying from the kernel to the column of the input cell
    under the window (weights on padding have no column and fade); the structure is named from
    the spec (Toeplitz for stride 1, rows kept for a stride, columns deleted by padding,
    weights spread by dilation); row ``r`` times ``x`` lights window ``r``, the entries of ``x``
    it uses and output cell ``r``; ``y`` folds back into the output grid. A transposed spec
    first builds its direct adjoint's ``C`` and folds it over the diagonal into ``Cᵀ``.
    Matrices whose entries would be unreadable at 480p are drawn compactly (coloured weights,
    blank zeros, a legend). 3×3 kernels default to the seed post's kernel.

    Sizes (:meth:`check_spec`: every cell — side grids, ``C``, ``x``, ``y`` — at least 6 px at
    480p): with a kernel of 3, 1D inputs up to 29 cells (a 27×29 ``C``; the side grids, sharing
    30 % of the width, are the limit), 2D up to 7×7 (a 25×49 ``C``; the 49 cells of ``x`` are the
    limit), also with padding 1 or stride 2; transposed with stride 2 up to 13 (1D) and 3×3 (2D).

    Parameters
    ----------
    spec, x, w, mode, theme, lang, step_time
        As in :class:`scenes.base.ConvScene`. Default: a 1D input of 6, kernel 3, stride 1 (a
        plain Toeplitz band).

    Attributes
    ----------
    matrix : ConvMatrix
        ``conv_matrix(spec)``: the matrix drawn (for a transposed spec, the transpose of its
        direct adjoint's matrix, built by transposing it on screen).
    layout : MatrixLayout
        The plan used.
    full : bool
        Every entry written (``True``) or the compact view (colours only, blank zeros).
    matrix_entries : dict
        ``(row, col) → (flat kernel index or -1, value)`` of every entry drawn in the final
        matrix: non-zeros always, zeros only in the full view.
    x_entries : dict
        ``flat input index → value`` of the unrolled vector ``x``.
    result_values : dict
        ``flat output index → value`` of the product vector ``y`` as drawn.
    output_values : dict
        ``output index → value`` folded into the output grid.
    highlighted_rows : list of dict
        Per product row: ``row``, ``columns`` (highlighted entries of ``x``), ``window`` (grid
        cells highlighted on the input grid), ``out_index``.
    """

    default_spec: ClassVar[ConvSpec] = ConvSpec((6,), 3)
    default_seed: ClassVar[int] = 27
    default_kernel: ClassVar[str] = "seed-2d"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matrix: ConvMatrix = conv_matrix(self.spec)
        self.layout: MatrixLayout | None = None
        self.full = False
        self.entry_mode = "full"
        self.matrix_entries: dict[tuple[int, int], tuple[int, float]] = {}
        self.x_entries: dict[int, float] = {}
        self.result_values: dict[int, float] = {}
        self.output_values: dict[Index, float] = {}
        self.highlighted_rows: list[dict[str, Any]] = []
        self._entry_mobs: dict[tuple[int, int], tuple[int, VGroup]] = {}
        self._piece_font: float | None = None
        self._input_names: dict[int, Text] = {}

    # -- small helpers -----------------------------------------------------------------------------

    def _caption(self, s: str, slot: GridSlot, role: str = "text") -> Text:
        return caption(s, slot.caption, self.layout.caption_font, self.theme.ink(role))

    def _say(self, slot: str, sentence: str | None, *, kind: str = "caption",
             role: str = "text") -> Mobject | None:
        """Say ``sentence`` in ``"caption"`` (first row under the figure) or ``"line2"`` (the
        second: equation or legend) through the kit's narration; ``None`` clears the place."""
        if sentence is None:
            self.narration.clear(slot)
            return None
        box = self.layout.bottom[0 if slot == "caption" else 1]
        return self.say(slot, sentence, box, kind=kind, role=role, font=self.layout.text_font)

    def _window(self, cells: Any) -> VMobject:
        """The window over ``cells`` (a step or grid indices) on the input grid."""
        return self.input_grid.get_window(cells, stroke_width=WINDOW_STROKE)

    def _t(self, duration: float) -> float:
        return duration * self.step_time

    def _entry_label(self, kernel_flat: int) -> str:
        """What a non-zero entry shows: the weight's value (numeric) or its name."""
        if self.numeric and self.entry_mode == "full":
            return self.weights.text(self.w.ravel()[kernel_flat])
        return weight_name(np.unravel_index(kernel_flat, self.spec.kernel_shape))

    def _weight_fill(self, k: int) -> str:
        """Weight ``k``'s cell colour: a tint, or (colours-only view) the saturated colour."""
        c = self._kcolors[k]
        return c if self.entry_mode == "colour" else self.theme.tint(c)

    def _ink_on(self, fill: str) -> str:
        """Text colour on ``fill``: the theme's text or background, whichever reads better."""
        return max((self.theme.text, self.theme.background),
                   key=lambda c: contrast_ratio(c, fill))

    def _window_cells(self, r: int) -> list[tuple[Index, int]]:
        """``(grid cell, flat kernel index)`` under window ``r`` on the input grid (direct: every
        tap, padding included; transposed: the input cells row ``r`` of Cᵀ reads)."""
        if self._steps is not None:
            return [(t.grid_index, _flat(t.kernel_index, self.spec.kernel_shape))
                    for t in self._steps[r].taps]
        return [(self._cell_of_input[c], k) for c, k in self.matrix.row_kernel_cells(r)]

    def _tinted_window(self, r: int) -> VGroup:
        """Window ``r`` on the input: each cell tinted with the colour of the weight it meets,
        the outline on the cell borders (the numbers stay above)."""
        cells = self._window_cells(r)
        tints = VGroup()
        for g, k in cells:
            sq = self.input_grid.get_cell(g, stroke_width=0, fill_opacity=0)
            tints.add(sq.set_fill(self.theme.tint(self._kcolors[k]), 1))
        outline = self._window([g for g, _ in cells]) if cells else VMobject()
        return VGroup(tints, outline)

    # -- the plan (scenes.plans.matrix: static, manim-free) ---------------------------------------

    plan_layout = staticmethod(matrix_plan.plan_layout)

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """:func:`scenes.plans.matrix.check_spec` (every cell of :meth:`plan_layout` at 480p:
        side grids, ``C``, ``x``, ``y``), the message naming this class; the sizes it accepts
        are listed in the class docstring."""
        matrix_plan.check_spec(spec, mode, name=cls.__name__)

    # -- the scene ---------------------------------------------------------------------------------

    def construct(self) -> None:
        """The story: the figure, ``x`` unrolled and ``C`` built row by row under its window
        (or ``C`` of the adjoint built and transposed), its structure named, the product row by
        row, ``y`` folded back, the closing frame."""
        self._plan()
        self._draw_side_grids()
        self._open()
        if self._pre is not None:  # transposed: C of the direct adjoint first, then x
            frame = self._build_then_transpose(self._pre)
            x_vec = self._unroll()
        else:
            x_vec = self._unroll()
            frame = self._build_rows()
        self._structure(frame)
        self._product(frame, x_vec)
        self._fold()
        self.close()

    def _plan(self) -> None:
        """The layout, the adjoint's matrix (transposed specs), the view of C's entries and the
        input cells' places."""
        s = self.spec
        adj = adjoint_or_none(s) if s.transposed else None
        self._pre = conv_matrix(adj) if adj is not None else None
        fw, fh = self.frame_size()
        # A kernel of fractions: its integers in the kernel and in C, the factor in their
        # captions and pulled out of each row's sum (issue 12 #7).
        # Fonts per grid: the input's numbers set the plan; the kernel and output get their own.
        lay = self.plan_layout(
            s, frame_width=fw, frame_height=fh, numeric=self.numeric, chars=value_chars(self.x),
            entry_chars=max(value_chars(self.weights.values), 1) if self.numeric else None,
        )
        assert lay.matrix.rows == self.matrix.shape[0] and lay.matrix.cols == self.matrix.shape[1]
        assert (self._pre is None) == (lay.pre is None)
        self.layout = lay
        self.full = lay.full
        names_fit = lay.readable_font(_entry_cell(lay), _names_chars(s)) is not None
        self.entry_mode = "full" if lay.full else "names" if names_fit else "colour"
        self._names_font = lay.readable_font(_entry_cell(lay), _names_chars(s))
        self._kcolors = self.theme.kernel_colors(s.kernel_size)
        self._steps = None if s.transposed else conv_steps(self.x, self.w, s)
        self._yv = convolve(self.x, self.w, s).ravel()
        self._out_cells = [tuple(int(v) for v in np.unravel_index(r, s.output_shape))
                           for r in range(self.matrix.shape[0])]
        if s.transposed:
            self._cell_of_input = {c: tuple(int(v) for v in np.unravel_index(c, s.input_shape))
                                   for c in range(s.input_size)}
        else:
            kinds = grid_input_index(s)
            self._cell_of_input = {int(kinds[g]): tuple(int(v) for v in g)
                                   for g in np.ndindex(*kinds.shape) if kinds[g] >= 0}
        self.record("view", entries=self.entry_mode, full=self.full)

    def _grid_font(self, values: np.ndarray) -> float | None:
        """The font of one side grid's numbers (``None``: schematic or unreadable)."""
        if not (self.numeric and self.layout.numeric):
            return None
        return self.layout.readable_font(self.layout.cell, value_chars(values))

    def _draw_side_grids(self) -> None:
        """The input, kernel and output grids (names in the schematic view), each grid with the
        font its own numbers need."""
        s, th, lay = self.spec, self.theme, self.layout
        slot_in, slot_k = lay.left[:2]
        slot_out = lay.right[0] if lay.right else lay.left[2]
        in_shape = s.input_shape if s.transposed else s.grid_shape
        kinds = None if s.transposed else grid_input_index(s)
        values = self.x if s.transposed else grid_values(self.x, s)
        self.input_grid = CellGrid(in_shape, lay.cell, theme=th, kinds=kinds, values=values,
                                   value_font=self._grid_font(self.x), center=slot_in.box.center)
        self.input_grid.values.set_z_index(_VALUES_Z)  # windows never cover a digit
        self._piece_font = self._grid_font(self.weights.values)
        self.kernel_grid = CellGrid(tuple(s.kernel_shape), lay.cell, theme=th, role="kernel",  # type: ignore[arg-type]
                                    colors=self._kcolors, tint=self.entry_mode != "colour",
                                    center=slot_k.box.center)
        self._out_font = self._grid_font(self._yv)
        self.output_grid = CellGrid(s.output_shape, lay.cell, theme=th, role="output",
                                    filled=False, center=slot_out.box.center)
        self._kernel_labels = self._label_kernel()
        self._input_names = self._name_inputs()
        self._slots = (slot_in, slot_k, slot_out)

    def _label_kernel(self) -> VGroup:
        """Each kernel cell's value (numeric, when it fits) or name, in the ink that reads on
        its fill."""
        s, lay = self.spec, self.layout
        if self._piece_font is None and not self.numeric:
            self._piece_font = lay.readable_font(lay.cell, _names_chars(s))
        labels = VGroup()
        if self._piece_font is None:
            return labels
        for k in range(s.kernel_size):
            idx = tuple(int(v) for v in np.unravel_index(k, s.kernel_shape))
            ink = self._ink_on(self._weight_fill(k))
            labels.add(make_text(self._kernel_label(k), self._piece_font, ink)
                       .move_to(self.kernel_grid.cell_center(idx)))
        return labels

    def _kernel_label(self, k: int) -> str:
        """Kernel cell ``k`` as written on the kernel grid and on the pieces that fly."""
        if self.numeric:
            return self.weights.text(self.w.ravel()[k])
        return weight_name(np.unravel_index(k, self.spec.kernel_shape))

    def _name_inputs(self) -> dict[int, Text]:
        """Schematic: input cells named by their place in x (x₀, x₁, … row by row)."""
        out: dict[int, Text] = {}
        if self.numeric:
            return out
        lay = self.layout
        in_font = lay.readable_font(lay.cell, 2.0 if self.spec.input_size > 10 else 1.6)
        if in_font is not None:
            for c, g in self._cell_of_input.items():
                out[c] = make_text(entry_name(X_SYMBOL, c), in_font, self.theme.text
                                   ).move_to(self.input_grid.cell_center(g))
                out[c].set_z_index(_VALUES_Z)
        return out

    def _open(self) -> None:
        """The first frame (a preview: the title over the input, kernel and output), at once."""
        s, lay = self.spec, self.layout
        slot_in, slot_k, slot_out = self._slots
        caps = [self._caption(f"{self.label('input')} {X_SYMBOL}", slot_in, "input"),
                self._caption(self._factored(f"{self.label('kernel')} {W_SYMBOL}"), slot_k),
                self._caption(f"{self.label('output')} {Y_SYMBOL}", slot_out, "output")]
        figure = self._product_figure()
        self.preview(self.input_grid, self.kernel_grid, self._kernel_labels, self.output_grid,
                     *caps, VGroup(*self._input_names.values()), figure,
                     parts=("title", "grids", "matrix", "product"))
        self.say("title", self.label("matrix_title_transposed" if s.transposed
                                     else "matrix_title"), lay.top[0], kind="title",
                 font=lay.text_font)
        self._say("caption", describe_spec(s, self.lang), role="muted_text")
        self.wait(max(self._t(0.8), 2.5))  # the idea held, then built step by step
        self.remove(figure)

    def _product_figure(self) -> VGroup:
        """The first frame's idea: the filled sparse matrix (its diagonals of weights, the
        muted zeros) times x equals y, where the story will build them."""
        lay, th, mat = self.layout, self.theme, self.matrix
        rows, cols = mat.shape
        frame, zeros = self._matrix_frame(mat.shape, lay.matrix)
        entries, taken = VGroup(), set()
        for r in range(rows):
            for col, k in mat.row_kernel_cells(r):
                entries.add(self._entry(frame, (r, col), k))
                taken.add(r * cols + col)
        kept = VGroup(*[z for i, z in enumerate(zeros) if i not in taken])
        xv = self.x.ravel()
        x_font = (lay.readable_font(lay.x_vec.cell, value_chars(self.x))
                  if self.numeric else None)
        x_vec = CellGrid((xv.size, 1), lay.x_vec.cell, theme=th, role="input",
                         values=xv.reshape(-1, 1), value_font=x_font,
                         center=lay.x_vec.box.center)
        y_font = lay.readable_font(lay.y_vec.cell, value_chars(self._yv)) if self.numeric else None
        y_vec = CellGrid((rows, 1), lay.y_vec.cell, theme=th, role="output",
                         values=self._yv.reshape(-1, 1), value_font=y_font,
                         center=lay.y_vec.box.center)
        dot = fit_text(make_text(DOT, lay.caption_font * 1.4, th.text), lay.dot)
        eq = fit_text(make_text(EQUALS, lay.caption_font, th.text), lay.equals)
        symbol = CT_SYMBOL if self.spec.transposed else C_SYMBOL
        caps = VGroup(self._caption(self._factored(symbol), lay.matrix),
                      self._caption(X_SYMBOL, lay.x_vec, "input"),
                      self._caption(Y_SYMBOL, lay.y_vec, "output"))
        self.record("preview_product", entries=len(entries), shape=mat.shape,
                    y=self._yv.tolist(), x=xv.tolist())
        return VGroup(frame, kept, entries, x_vec, y_vec, dot, eq, caps)

    def _unroll(self) -> CellGrid:
        """The input's cells travel, row by row, into the column vector ``x``."""
        s, th, lay = self.spec, self.theme, self.layout
        n_in = s.input_size
        xv = self.x.ravel()
        x_font = (lay.readable_font(lay.x_vec.cell, value_chars(self.x))
                  if self.numeric else None)
        x_vec = CellGrid((n_in, 1), lay.x_vec.cell, theme=th, role="input",
                         values=xv.reshape(n_in, 1), value_font=x_font,
                         center=lay.x_vec.box.center)
        x_vec.values.set_z_index(_VALUES_Z)
        self.x_entries = {c: float(xv[c]) for c in range(n_in)}
        # Values where they fit, else names (x₀, x₁, …): C·x is shown, not asserted.
        names = self._vector_names(x_vec, X_SYMBOL) if x_font is None else VGroup()
        self._vector_labels = {"x": [t.text for t in (x_vec.values if x_font else names)]}
        carried = bool(len(names)) and bool(self._input_names)  # names travel with the cells
        travellers, moves = [], []
        for c in range(n_in):
            piece, target = self._x_traveller(c, x_vec, names, x_font is not None or carried)
            travellers.append(piece)
            moves.append(Transform(piece, target))
        x_cap = self._caption(X_SYMBOL, lay.x_vec, "input")
        self._say("caption", self.label("matrix_unroll" if s.ndim == 2 else "matrix_unroll_1d",
                                        n=n_in))
        self.play(FadeIn(x_cap), *([] if carried else [FadeIn(names)]),
                  LaggedStart(*moves, lag_ratio=min(0.5, 4.0 / n_in)),
                  run_time=self._t(1.2))
        self.remove(*travellers, names)
        self.add(x_vec, names)
        return x_vec

    def _x_traveller(self, c: int, x_vec: CellGrid, names: VGroup, labelled: bool
                     ) -> tuple[VGroup, VGroup]:
        """Input cell ``c`` (square and number or name) and its place in ``x``."""
        th = self.theme
        g = self._cell_of_input[c]
        piece = VGroup(self.input_grid.get_cell(g, color=th.grid_stroke, stroke_width=2,
                                                fill_opacity=0).set_fill(th.fill("input"), 1))
        v = self.input_grid.get_value(g) or self._input_names.get(c)
        if v is not None:
            piece.add(v.copy())
        scale = self.layout.x_vec.cell / self.layout.cell
        target = piece.copy().scale(scale).move_to(x_vec.cell_center((c, 0)))
        if len(target) > 1:
            label = x_vec.get_value((c, 0)) or (names[c] if len(names) else None)
            if labelled and label is not None:
                target[1].become(label.copy())
            else:
                target[1].set_opacity(0)
        return piece, target

    def _vector_names(self, vec: CellGrid, symbol: str) -> VGroup:
        """Each entry of a vector named (``x₀``, ``x₁``, …) when names are readable."""
        out = VGroup()
        n = vec.rows
        font = self.layout.readable_font(vec.cell, 2.0 if n > 10 else 1.6)
        if font is not None:
            for r in range(n):
                out.add(make_text(entry_name(symbol, r), font, self.theme.text)
                        .move_to(vec.cell_center((r, 0))))
        return out

    # -- building C ------------------------------------------------------------------------------

    def _matrix_frame(self, shape: tuple[int, int], slot: GridSlot) -> tuple[CellGrid, VGroup]:
        """The empty matrix (outlines) and, in the full view, a muted ``0`` in every cell."""
        th = self.theme
        thin = 2.0 if self.full else 0.8
        frame = CellGrid(shape, slot.cell, theme=th, role="kernel", filled=False,
                         center=slot.box.center, stroke_width=thin)
        zeros = VGroup()
        if self.full:
            font = self.layout.entry_font
            for idx in np.ndindex(*shape):
                zeros.add(make_text("0", font, th.ink("muted_text")).move_to(
                    frame.cell_center(idx)))
        return frame, zeros

    def _entry(self, frame: CellGrid, idx: tuple[int, int], k: int) -> VGroup:
        """A non-zero entry: a square in weight ``k``'s colour, with its value or name where it
        fits (the colours-only view relies on the legend)."""
        th = self.theme
        sq = Square(side_length=frame.cell_size).move_to(frame.cell_center(idx))
        sq.set_fill(self._weight_fill(k), 1)
        sq.set_stroke(th.grid_stroke, width=1.5 if self.full else 0.6)
        out = VGroup(sq)
        font = self.layout.entry_font if self.full else self._names_font
        if self.entry_mode != "colour" and font is not None:
            out.add(make_text(self._entry_label(k), font, self._ink_on(self._weight_fill(k)))
                    .move_to(sq.get_center()))
        return out

    def _kernel_piece(self, k: int, at: np.ndarray | None = None) -> VGroup:
        """A copy of kernel cell ``k`` (square and label), at its kernel cell or at ``at`` (the
        window cell it multiplies), to fly into the matrix."""
        th = self.theme
        idx = tuple(int(v) for v in np.unravel_index(k, self.spec.kernel_shape))
        sq = self.kernel_grid.get_cell(idx, color=th.grid_stroke, stroke_width=1.5)
        sq.set_fill(self._weight_fill(k), 1)
        piece = VGroup(sq)
        if self._piece_font is not None:
            piece.add(make_text(self._kernel_label(k), self._piece_font,
                                self._ink_on(self._weight_fill(k))).move_to(sq.get_center()))
        if at is not None:
            piece.scale(0.8).move_to(at)
        return piece

    def _fly(self, piece: VGroup, entry: VGroup) -> list:
        """Animations taking a kernel piece onto a matrix entry (its label only when shown)."""
        anims = [ReplacementTransform(piece[0], entry[0])]
        if len(piece) > 1 and len(entry) > 1:
            anims.append(ReplacementTransform(piece[1], entry[1]))
        elif len(piece) > 1:
            anims.append(FadeOut(piece[1], target_position=entry[0].get_center(), scale=0.3))
        elif len(entry) > 1:
            anims.append(FadeIn(entry[1]))
        return anims

    def _place_row(self, mat: ConvMatrix, frame: CellGrid, zeros: VGroup, row: int,
                   entries: dict, *, fly: bool = True) -> list:
        """Animations filling one row, its zeros going: each weight flies from the window cell
        it multiplies (direct) or from the kernel (``fly``), or the row's weights appear
        together (cheaper, for long runs)."""
        anims = []
        n_cols = mat.shape[1]
        new, gone = [], []
        for col, k in mat.row_kernel_cells(row):
            entry = self._entry(frame, (row, col), k)
            entries[(row, col)] = (k, entry)
            new.append(entry)
            if fly:
                at = self._flight_start(mat, col)
                anims.extend(self._fly(self._kernel_piece(k, at), entry))
            if self.full:
                gone.append(zeros[row * n_cols + col])
        if not fly and new:  # at once: a fade of many cells redraws them on every frame
            anims.append(FadeIn(VGroup(*new), rate_func=_at_once))
        if gone:
            anims.append(FadeOut(VGroup(*gone), rate_func=smooth if fly else _at_once))
        return anims

    def _flight_start(self, mat: ConvMatrix, col: int) -> np.ndarray | None:
        """Where the weight of column ``col`` leaves from: the input cell of that column (the
        window cell it multiplies) when ``mat`` is the drawn matrix, else the kernel."""
        if mat is not self.matrix or self.spec.transposed:
            return None
        return self.input_grid.cell_center(self._cell_of_input[col])

    def _row_box(self, frame: CellGrid, rows: int | tuple[int, ...], color: str) -> Rectangle:
        """An outline around row ``rows`` (or the rows from first to last) of ``frame``."""
        rows = (rows,) if isinstance(rows, int) else rows
        box = frame.cells_box([(rows[0], 0), (rows[-1], frame.cols - 1)])
        rect = Rectangle(width=box.width, height=box.height).move_to(box.center)
        return rect.set_stroke(color, width=4).set_fill(opacity=0)

    def _empty_matrix(self, shape: tuple[int, int], slot: GridSlot, symbol: str, sentence: str
                      ) -> tuple[CellGrid, VGroup, Text]:
        """The empty matrix, its symbol and the legend, at once (a fade redraws every zero on
        every frame), with ``sentence`` under it."""
        frame, zeros = self._matrix_frame(shape, slot)
        cap = self._caption(self._factored(symbol), slot)
        self._say("caption", sentence)
        self.add(frame, zeros, cap)
        self._legend()
        self.wait(self._t(0.8))
        return frame, zeros, cap

    def _build_rows(self) -> CellGrid:
        """Direct spec (or a transposed one without adjoint): C row by row, each row after its
        window (kit pacing: the first rows in full, then faster)."""
        s, mat = self.spec, self.matrix
        rows, cols = mat.shape
        frame, zeros, _ = self._empty_matrix(
            mat.shape, self.layout.matrix, CT_SYMBOL if s.transposed else C_SYMBOL,
            self.label("matrix_build", rows=rows, cols=cols))
        entries: dict = {}
        self._c_zeros = zeros
        view = _BuildView(self, frame, zeros, entries)
        Pacer(self, view, group="build").run(plan_pacing(self._out_cells, full=_SLOW_ROWS))
        self.play(*[FadeOut(m) for m in view.shown() if m is not None], run_time=self._t(0.4))
        self._finish_entries(entries, frame, transpose=False)
        return frame

    def _build_then_transpose(self, pre: ConvMatrix) -> CellGrid:
        """Transposed spec: the direct adjoint's C, built at once, then transposed into Cᵀ."""
        lay = self.layout
        assert lay.pre is not None
        adj = pre.spec
        frame_pre, zeros_pre, c_cap = self._empty_matrix(
            pre.shape, lay.pre, C_SYMBOL,
            self.label("matrix_direct_of", i=format_shape(adj.input_shape),
                       o=format_shape(adj.output_shape), rows=pre.shape[0], cols=pre.shape[1]))
        entries: dict = {}
        rows_anims = [AnimationGroup(*self._place_row(pre, frame_pre, zeros_pre, r, entries,
                                                      fly=r < _SLOW_ROWS))
                      for r in range(pre.shape[0])]
        self.play(LaggedStart(*rows_anims, lag_ratio=min(0.5, 3.0 / len(rows_anims))),
                  run_time=self._t(2.0))
        self.wait(self._t(0.5))
        frame, moved = self._transpose(pre, frame_pre, zeros_pre, c_cap, entries)
        self._finish_entries(moved, frame, transpose=True)
        return frame

    def _transpose(self, pre: ConvMatrix, frame_pre: CellGrid, zeros_pre: VGroup, c_cap: Text,
                   entries: dict) -> tuple[CellGrid, dict]:
        """Row ``r`` of ``C`` turns a quarter clockwise into column ``r`` of ``Cᵀ``, one row
        after the other: every entry travels on an arc to its mirrored place (moved all at once,
        any symmetric path passes every entry through one line half-way)."""
        lay, mat = self.layout, self.matrix
        frame, zeros = self._matrix_frame(mat.shape, lay.matrix)
        ct_cap = self._caption(self._factored(CT_SYMBOL), lay.matrix)
        arc = -PI / 2
        by_row: dict[int, list] = {r: [] for r in range(pre.shape[0])}
        moved: dict = {}
        paths = []
        for (r, c), (k, entry) in entries.items():
            target = self._entry(frame, (c, r), k)
            paths.append(((r, c), tuple(entry.get_center()), tuple(target.get_center())))
            by_row[r].append(ReplacementTransform(entry, target, path_arc=arc))
            moved[(c, r)] = (k, target)
        if self.full:
            n_pre_cols = pre.shape[1]
            for (r, c) in np.ndindex(*pre.shape):
                if (r, c) not in entries:
                    by_row[r].append(ReplacementTransform(
                        zeros_pre[r * n_pre_cols + c], zeros[c * mat.shape[1] + r],
                        path_arc=arc))
        lag = min(0.5, 2.0 / max(1, pre.shape[0]))
        self.record("transpose", paths=paths, path_arc=arc, lag_ratio=lag, rows=pre.shape[0])
        self._say("caption", self.label("matrix_transpose", rows=mat.shape[0],
                                        cols=mat.shape[1]))
        self.play(Transform(frame_pre, frame), ReplacementTransform(c_cap, ct_cap),
                  LaggedStart(*[AnimationGroup(*a) for a in by_row.values()], lag_ratio=lag),
                  run_time=self._t(2.0))
        self.remove(frame_pre)
        self.add(frame)
        self.wait(self._t(0.6))
        return frame, moved

    def _finish_entries(self, entries: dict, frame: CellGrid, *, transpose: bool) -> None:
        """Log what the final matrix shows (``matrix_entries``)."""
        wv = self.w.ravel()
        self.matrix_entries = {key: (k, float(wv[k])) for key, (k, _) in entries.items()}
        if self.full:
            for idx in np.ndindex(frame.rows, frame.cols):
                self.matrix_entries.setdefault((int(idx[0]), int(idx[1])), (-1, 0.0))
        self._entry_mobs = dict(entries)
        labels = {key: (mob[1].text if len(mob) > 1 else None)
                  for key, (_, mob) in entries.items()}
        self.record("matrix", shape=(frame.rows, frame.cols), full=self.full,
                    transposed_on_screen=transpose, labels=labels)

    def _legend(self) -> None:
        """Compact views: what a coloured (or named) and a blank cell mean (second text row),
        never larger than the key sentence above it."""
        if self.full:
            return
        key = "matrix_legend_names" if self.entry_mode == "names" else "matrix_legend"
        mob = self._say("line2", self.label(key), role="muted_text")
        above = self.narration.on_screen.get("caption")
        if mob is not None and above is not None:
            _no_taller(mob, above.mob)
        self.record("legend", text=self.label(key), theme=self.theme.name,
                    height=mob.height if mob is not None else 0.0,
                    key_height=above.mob.height if above is not None else 0.0)

    # -- the structure ---------------------------------------------------------------------------

    def _structure_facts(self, frame: CellGrid) -> list[tuple[str, list]]:
        """What the spec makes of C (stride, padding, dilation), each with the entries (or the
        rows, as rectangles) it is about."""
        s, mat = self.spec, self.matrix
        facts: list[tuple[str, list]] = []  # (sentence or a claim shown, its targets)
        by_key = {key: mob for key, (_, mob) in self._entry_mobs.items()}
        first_weight = [mob for k, mob in self._entry_mobs.values() if k == 0]
        if all(v == 1 for v in s.stride):
            key = "matrix_toeplitz_2d" if s.ndim == 2 else "matrix_toeplitz_1d"
            facts.append((self.label(key), first_weight))
        elif not s.transposed:  # shown: the stride-1 rows, the dropped ones fading
            facts.append((self._claim_stride, []))
        else:
            key = "matrix_stride_transposed" if s.transposed else "matrix_stride"
            facts.append((self.label(key, s=format_axes(s.stride)), first_weight))
        if any(b or a for b, a in s.pads) and not s.transposed:  # shown: columns struck out
            facts.append((self._claim_padding, []))
        elif any(b or a for b, a in s.pads):
            short = [] if s.transposed else [r for r in range(mat.shape[0])
                                             if len(mat.row_kernel_cells(r)) < s.kernel_size]
            rows = [self._row_box(frame, r, self.theme.highlight) for r in short]
            key = "matrix_padding_transposed" if s.transposed else "matrix_padding"
            facts.append((self.label(key, p=format_padding(s.pads)), rows))
        if any(d > 1 for d in s.dilation):
            row0 = [by_key[k] for k in by_key if k[0] == 0]
            facts.append((self.label("matrix_dilation", d=format_axes(s.dilation)), row0))
        return facts

    def _structure(self, frame: CellGrid) -> None:
        """Name the structure from the spec's facts, outlining the entries (or rows) it is
        about for as long as the sentence is read (outlines cut in and out: a pulse of many
        entries redraws them on every frame)."""
        hl = self.theme.highlight
        for sentence, targets in self._structure_facts(frame):
            if callable(sentence):
                sentence(frame)
                continue
            self._say("caption", sentence)
            marks = VGroup(*[t if isinstance(t, Rectangle) else
                             Square(side_length=t.width).move_to(t).set_stroke(hl, width=3)
                             for t in targets])
            self.add(marks)
            self.narration.settle("caption")
            self.remove(marks)

    # -- the product -------------------------------------------------------------------------------

    def _product(self, frame: CellGrid, x_vec: CellGrid) -> None:
        """Row ``r`` of ``C`` times ``x`` is ``y_r`` (kit pacing: the first rows in full with
        their equation, then faster; each ``y_r`` after its row and window are lit)."""
        th, lay = self.theme, self.layout
        rows = self.matrix.shape[0]
        y_font = lay.readable_font(lay.y_vec.cell, value_chars(self._yv)) if self.numeric else None
        self._y_font = y_font
        self._y_vec = CellGrid((rows, 1), lay.y_vec.cell, theme=th, role="output", filled=False,
                               center=lay.y_vec.box.center)
        dot = fit_text(make_text(DOT, lay.caption_font * 1.4, th.text), lay.dot)
        eq = fit_text(make_text(EQUALS, lay.caption_font, th.text), lay.equals)
        y_cap = self._caption(Y_SYMBOL, lay.y_vec, "output")
        self._y_names = self._vector_names(self._y_vec, Y_SYMBOL) if y_font is None else VGroup()
        self._say("line2", None)  # the legend has been read: the equations come there
        self.add(self._y_vec, dot, eq, y_cap)  # at once (a fade redraws them on every frame)
        self.wait(self._t(0.3))
        self._values = VGroup(*[self._y_value(r) for r in range(rows)])
        self._vector_labels["y"] = [v[1].text if len(v) > 1 else None for v in self._values]
        view = _ProductView(self, frame, x_vec)
        Pacer(self, view, group="product").run(plan_pacing(self._out_cells, full=_SLOW_ROWS))
        self._say("line2", None)
        self.play(FadeOut(view.hl), run_time=self._t(0.3))

    def _highlight(self, frame: CellGrid, x_vec: CellGrid, rows: tuple[int, ...]) -> VGroup:
        """Rows ``rows`` of C, the entries of x they use, the window of the last one, the
        entries of ``y`` and the output cells."""
        th = self.theme
        r = rows[-1]
        cols = sorted({c for q in rows for c, _ in self.matrix.row_kernel_cells(q)})
        xs = x_vec.get_window([(c, 0) for c in cols], color=th.highlight, fill_opacity=0,
                              stroke_width=4) if cols else VMobject()
        window_cells = [g for g, _ in self._window_cells(r)]
        win = self._window(window_cells) if window_cells else VMobject()
        yc = VGroup(*[self._y_vec.get_cell((q, 0), color=th.highlight, stroke_width=4)
                      for q in rows])
        oc = VGroup(*[self.output_grid.get_cell(self._out_cells[q], color=th.highlight,
                                                stroke_width=4) for q in rows])
        for q in rows:
            self.highlighted_rows.append({
                "row": q, "columns": [c for c, _ in self.matrix.row_kernel_cells(q)],
                "window": [g for g, _ in self._window_cells(q)], "out_index": self._out_cells[q]})
        return VGroup(self._row_box(frame, rows, th.highlight), xs, win, yc, oc)

    def _y_value(self, r: int) -> VGroup:
        """Entry ``r`` of ``y``: a filled cell with its value (or name), not yet shown."""
        th = self.theme
        sq = self._y_vec.get_cell((r, 0), color=th.grid_stroke, stroke_width=1.5)
        sq.set_fill(th.fill("output"), 1)
        out = VGroup(sq)
        if self._y_font is not None:
            out.add(make_text(format_number(self._yv[r]), self._y_font, th.text).move_to(sq))
        elif len(self._y_names):
            out.add(self._y_names[r])
        return out

    def _equation(self, r: int) -> str:
        """``y_r = w·x + …`` for row ``r`` (values in the numeric view, names otherwise)."""
        s, wv, xv = self.spec, self.w.ravel(), self.x.ravel()
        terms, pairs = [], []
        for c, k in self.matrix.row_kernel_cells(r):
            if self.numeric:
                pairs.append((xv[c], wv[k]))
                terms.append(f"{_factor(self.weights.value(wv[k]))}{TIMES}{_factor(xv[c])}")
            else:
                kidx = tuple(int(v) for v in np.unravel_index(k, s.kernel_shape))
                terms.append(f"{weight_name(kidx)}{TIMES}{entry_name(X_SYMBOL, c)}")
        rhs = " + ".join(terms) if terms else "0"
        head = f"{entry_name(Y_SYMBOL, r)} = "
        if self.numeric and terms:  # a kernel of fractions: 1/9 · (…) = 1/9 · 25 = 2.78
            return self.weights.worked(head, rhs, pairs, self._yv[r])
        tail = f" = {format_number(self._yv[r])}" if self.numeric else ""
        return f"{head}{rhs}{tail}"

    def _factored(self, caption: str) -> str:
        """A caption of the kernel or of C with the factor of a kernel of fractions said."""
        return self.kernel_caption(caption) if self.numeric else caption

    # -- the fold ----------------------------------------------------------------------------------

    def _fold(self) -> None:
        """``y`` folds back into the output grid; the closing sentence (the spec in full, its
        output_padding too) and the output's ring; ``x`` and ``y`` stay, labelled."""
        th = self.theme
        rows = self.matrix.shape[0]
        moves = []
        for r in range(rows):
            target = self._output_cell(r)
            piece = self._values[r].copy()
            if len(piece) > len(target):
                piece.remove(piece[1])
            elif len(target) > len(piece):
                piece.add(target[1].copy().scale(0.2).move_to(piece[0]).set_opacity(0))
            moves.append(ReplacementTransform(piece, target))
            self.output_values[self._out_cells[r]] = float(self._yv[r])
        self._say("caption", self.label("matrix_fold" if self.spec.ndim == 2
                                        else "matrix_fold_1d"))
        self.play(LaggedStart(*moves, lag_ratio=min(0.3, 3.0 / rows)), run_time=self._t(1.2))
        self._say("line2", self._closing_sentence())
        pad = 0.04 * self.layout.frame_height / 8
        ring = Rectangle(width=self.output_grid.width + pad, height=self.output_grid.height + pad)
        ring.move_to(self.output_grid).set_stroke(th.output, width=5)
        self.play(FadeIn(ring), run_time=self._t(0.6))
        self.record("result", values=dict(self.result_values))
        self.record("vectors", **self._vector_labels)

    def _closing_sentence(self) -> str:
        """``C·x`` is the sliding window's output; for a transposed spec, the spec in full."""
        s = self.spec
        if not s.transposed:
            return self.label("matrix_same")
        fmt = dict(i=format_shape(s.input_shape), k=format_axes(tuple(s.kernel_shape)),  # type: ignore[arg-type]
                   s=format_axes(s.stride), p=format_padding(s.pads),
                   o=format_shape(s.output_shape))
        op = s.resolved_output_padding
        if any(op):
            return self.label("matrix_transposed_is_op", op=format_axes(op), **fmt)
        return self.label("matrix_transposed_is", **fmt)

    def _output_cell(self, r: int) -> VGroup:
        """Output cell of row ``r``, filled, with its value (or, schematic, ``y_r``)."""
        th, lay = self.theme, self.layout
        sq = self.output_grid.get_cell(self._out_cells[r], color=th.grid_stroke, stroke_width=2)
        sq.set_fill(th.fill("output"), 1)
        target = VGroup(sq)
        if self._out_font is not None:
            target.add(make_text(format_number(self._yv[r]), self._out_font, th.text)
                       .move_to(sq))
        elif not self.numeric:  # schematic: output cells named like the entries of y
            name_font = lay.readable_font(lay.cell, 2.0 if self.matrix.shape[0] > 10 else 1.6)
            if name_font is not None:
                target.add(make_text(entry_name(Y_SYMBOL, r), name_font, th.text).move_to(sq))
        return target


class _BuildView:
    """The kit pacer's view of building ``C`` row by row: window ``r`` lands (tinted with the
    kernel's colours, the caption naming it), then its weights fly into row ``r``."""

    def __init__(self, scene: MatrixView, frame: CellGrid, zeros: VGroup, entries: dict) -> None:
        self.sc, self.frame, self.zeros, self.entries = scene, frame, zeros, entries
        self.window: VGroup | None = None
        self.row: Rectangle | None = None
        self._fly = True

    def shown(self) -> list:
        return [self.window, self.row]

    def land(self, steps: tuple[int, ...], jump: bool) -> list:
        sc, r = self.sc, steps[-1]
        if len(steps) == 1 and r < _SLOW_ROWS:
            key = "matrix_row_transposed" if sc.spec.transposed else "matrix_row"
            sc._say("caption", sc.label(key, r=r))
        win, box = sc._tinted_window(r), sc._row_box(self.frame, steps, sc.theme.highlight)
        if self.window is None:
            self.window, self.row = win, box
            return [FadeIn(win), FadeIn(box)]
        # The rows after the first ones: the window and row jump (a cut, one changed frame).
        rate = smooth if len(steps) == 1 and r < _SLOW_ROWS else _at_once
        return [Transform(self.window, win, rate_func=rate),
                Transform(self.row, box, rate_func=rate)]

    def where(self, step: int):
        cells = tuple(g for g, _ in self.sc._window_cells(step))
        centers = tuple(tuple(float(v) for v in self.sc.input_grid.cell_center(g))
                        for g in cells)
        return self.sc._out_cells[step], cells, centers

    def products(self, step: int):
        return None

    def write(self, steps: tuple[int, ...]) -> list:
        sc = self.sc
        anims: list = []
        for r in steps:
            fly = len(steps) == 1 and r < _SLOW_ROWS
            anims += sc._place_row(sc.matrix, self.frame, self.zeros, r, self.entries, fly=fly)
            if fly and sc._steps is not None:  # taps on padding: no column (padding is 0)
                anims += [FadeOut(sc._kernel_piece(_flat(t.kernel_index, sc.spec.kernel_shape),
                                                   sc.input_grid.cell_center(t.grid_index)),
                                  scale=0.3)
                          for t in sc._steps[r].taps if t.in_index is None]
        return [LaggedStart(*anims, lag_ratio=0.08)] if anims else []

    def result_text(self, step: int):
        return None

    def announce(self, phase) -> None:
        self.sc._say("caption", self.sc.label("matrix_rows_rest", n=len(phase.steps)))


class _ProductView:
    """The kit pacer's view of ``y = C·x``: row ``r``, the entries of ``x`` it uses and its
    window light up, its equation is said (full rows), then ``y_r`` is written."""

    def __init__(self, scene: MatrixView, frame: CellGrid, x_vec: CellGrid) -> None:
        self.sc, self.frame, self.x_vec = scene, frame, x_vec
        self.hl: VGroup | None = None

    def land(self, steps: tuple[int, ...], jump: bool) -> list:
        sc = self.sc
        if len(steps) == 1 and steps[0] < _SLOW_ROWS:
            key = "matrix_product_transposed" if sc.spec.transposed else "matrix_product"
            sc._say("caption", sc.label(key, r=steps[0]))
        h = sc._highlight(self.frame, self.x_vec, steps)
        if self.hl is not None and not (len(steps) == 1 and steps[0] < _SLOW_ROWS):
            return [Transform(self.hl, h, rate_func=_at_once)]  # the faster rows: a cut
        self.hl, anim = show_or_move(self.hl, h)
        return [anim]

    def where(self, step: int):
        cells = tuple(g for g, _ in self.sc._window_cells(step))
        return self.sc._out_cells[step], cells, ()

    def products(self, step: int):
        if step >= _SLOW_ROWS:
            return None
        line = self.sc._equation(step)
        self.sc._say("line2", line, kind="equation")
        return [line]

    def write(self, steps: tuple[int, ...]) -> list:
        sc = self.sc
        for r in steps:
            sc.result_values[r] = float(sc._yv[r])
        full = len(steps) == 1 and steps[0] < _SLOW_ROWS
        return [FadeIn(sc._values[r], rate_func=smooth if full else _at_once) for r in steps]

    def result_text(self, step: int):
        v = self.sc._values[step]
        return v[1].text if len(v) > 1 else None

    def announce(self, phase) -> None:
        self.sc._say("line2", None)
        self.sc._say("caption", self.sc.label("matrix_product_rest", n=len(phase.steps)))


def _at_once(t: float) -> float:
    """A rate function that completes on the first frame (a cut)."""
    return 1.0


def _flat(index: Index, shape: tuple[int, ...]) -> int:
    return int(np.ravel_multi_index(index, shape))


def _entry_cell(lay: MatrixLayout) -> float:
    """The side of the smallest matrix cell drawn (``C``, or the adjoint's drawn first)."""
    return lay.matrix.cell if lay.pre is None else min(lay.matrix.cell, lay.pre.cell)


def _no_taller(mob: Mobject, than: Mobject) -> None:
    """Scale ``mob`` down (about its centre) so its glyphs are no taller than ``than``'s."""
    if mob.height > than.height > 0:
        mob.scale(than.height / mob.height)


def _factor(value: float) -> str:
    """A number as a factor of a product: negative ones in parentheses."""
    text = format_number(value)
    return f"({text})" if text.startswith("\u2212") else text
