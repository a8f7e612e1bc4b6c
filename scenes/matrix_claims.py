"""A2's two structural claims shown, not said (a mixin of :class:`scenes.matrix.MatrixView`).

* **Stride keeps every s-th row of the stride-1 matrix.** ``C`` of the same spec at stride 1
  (:func:`convmath.facts.stride_one_spec`) is drawn in its place, the rows stride keeps
  (:func:`convmath.facts.stride_kept_rows`) outlined and named, the others fade out and the kept
  ones close up into ``C``.
* **Padding deletes columns.** ``C`` over the padded input
  (:func:`convmath.facts.padded_input_spec`: one column per cell of the padded grid) is drawn
  in its place, the padding columns (:func:`convmath.facts.padding_columns`) struck out and
  labelled, then they go and the other columns close up into ``C``.

Direct specs only (a transposed spec's stride and padding act on ``Cᵀ``'s columns and crop).
Every matrix comes from :func:`convmath.conv_matrix`; nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import FadeOut, Line, Rectangle, ReplacementTransform, VGroup, smooth

from convmath import ConvMatrix, conv_matrix, format_axes
from convmath.facts import padded_input_spec, padding_columns, stride_kept_rows, stride_one_spec
from scenes.kit.grid import CellGrid
from scenes.kit.text import make_text, text_line
from scenes.layout import Box

__all__ = ["MatrixClaims", "MAX_LISTED_ROWS"]

#: Most entries that slide when the demo closes up into C (more jump at once).
MAX_SLIDING = 40
#: Rows named in the stride sentence before "…" (the last one is always named).
MAX_LISTED_ROWS = 9


def _ramp(start: float, end: float) -> Callable[[float], float]:
    """Changes only between fractions ``start`` and ``end`` of a play (few changed frames)."""
    return lambda t: smooth(min(1.0, max(0.0, (t - start) / (end - start))))


def _at(at: float) -> Callable[[float], float]:
    """A hard cut at fraction ``at`` of a play."""
    return lambda t: 0.0 if t < at else 1.0


def _rows_text(rows: tuple[int, ...]) -> str:
    """``0, 2, 4`` (at most :data:`MAX_LISTED_ROWS` named, then ``…`` and the last)."""
    if len(rows) <= MAX_LISTED_ROWS:
        return ", ".join(str(r) for r in rows)
    return ", ".join(str(r) for r in rows[: MAX_LISTED_ROWS - 1]) + f", …, {rows[-1]}"


class MatrixClaims:
    """Stride and padding shown on ``C`` (``self`` is the :class:`MatrixView`)."""

    def _claim_band(self, shape: tuple[int, int]) -> tuple[float, np.ndarray]:
        """Cell side and centre of a demo matrix of ``shape``: as wide as ``C``'s box, from its
        top down to the text rows at most, never larger cells than ``C``'s."""
        lay = self.layout
        box = lay.matrix.box
        bottom = lay.bottom[0].top + lay.matrix.caption.height  # room for a label under it
        rows, cols = shape
        cell = min(lay.matrix.cell, box.width / cols, (box.top - bottom) / rows)
        centre = np.array([box.x, box.top - rows * cell / 2, 0.0])
        return cell, centre

    def _demo_matrix(self, mat: ConvMatrix) -> tuple[CellGrid, dict[tuple[int, int], VGroup]]:
        """``mat`` drawn like ``C`` (weights coloured, labelled where they fit) in C's place."""
        cell, centre = self._claim_band(mat.shape)
        frame = CellGrid(mat.shape, cell, theme=self.theme, role="kernel", filled=False,
                         center=centre, stroke_width=2.0 if self.full else 0.8)
        lay = self.layout
        font = None
        if self.entry_mode != "colour":  # C's own font, as far as the smaller cells allow
            chars = 2.5 if not self.full else max(len(self._entry_label(k))
                                                  for k in range(self.spec.kernel_size))
            base = lay.entry_font if self.full else self._names_font
            font = (base * cell / lay.matrix.cell
                    if base and lay.readable_font(cell, chars) is not None else None)
        entries: dict[tuple[int, int], VGroup] = {}
        if self.full and font is not None:  # the zeros, muted, as in C
            filled = {(r, c) for r in range(mat.shape[0]) for c, _ in mat.row_kernel_cells(r)}
            muted = self.theme.ink("muted_text")
            self._demo_zeros = VGroup(*[make_text("0", font, muted).move_to(
                frame.cell_center(idx)) for idx in np.ndindex(*mat.shape) if idx not in filled])
        else:
            self._demo_zeros = VGroup()
        for r in range(mat.shape[0]):
            for col, k in mat.row_kernel_cells(r):
                sq = Rectangle(width=cell, height=cell).move_to(frame.cell_center((r, col)))
                sq.set_fill(self._weight_fill(k), 1).set_stroke(self.theme.grid_stroke,
                                                                 width=0.6)
                mob = VGroup(sq)
                if font is not None:
                    mob.add(make_text(self._entry_label(k), font,
                                      self._ink_on(self._weight_fill(k))).move_to(sq))
                entries[(r, col)] = mob
        return frame, entries

    def _lift_c(self, frame: CellGrid) -> list:
        """Take ``C`` (outlines, zeros, entries) off the screen at once; returns what was on
        screen, in drawing order, for :meth:`_close_up` to put back."""
        parts = [frame, self._c_zeros, *[m for _, m in self._entry_mobs.values()]]
        family = {id(f) for p in parts for f in p.get_family()}
        # Entries shown together entered inside one group: take every top-level mobject
        # holding a part of C.
        shown = [m for m in self.mobjects if any(id(f) in family for f in m.get_family())]
        self.remove(*shown)
        return shown

    def _close_up(self, dframe: CellGrid, dentries: dict, gone: VGroup, moves: dict,
                  frame: CellGrid, keep: VGroup | None = None) -> None:
        """``gone`` fades; the demo's entries in ``moves`` (demo key → C key) slide onto C's
        places (``keep``, outlines of what stays, go when they arrive); then C is back as
        drawn."""
        real = self._entry_mobs
        # A few entries slide (the rows or columns closing up); many jump at once (hundreds
        # of cells moving change most of every frame: most of a GIF's bytes).
        slide = _ramp(0.3, 1.0) if len(moves) <= MAX_SLIDING else _at(0.5)
        anims = [FadeOut(gone, rate_func=_ramp(0.0, 0.3))]
        arrived = [frame.copy()]
        for src, dst in moves.items():
            arrived.append(real[dst][1].copy())
            anims.append(ReplacementTransform(dentries[src], arrived[-1], rate_func=slide))
        anims.append(ReplacementTransform(dframe, arrived[0], rate_func=slide))
        self.play(*anims, run_time=self._t(1.2))
        self.remove(*arrived, *([keep] if keep is not None else []))
        self.add(*self._lifted)

    def _claim_stride(self, frame: CellGrid) -> None:
        """Stride: the stride-1 matrix, the kept rows named and outlined, the rest fade."""
        s, hl = self.spec, self.theme.highlight
        one = conv_matrix(stride_one_spec(s))
        kept = stride_kept_rows(s)
        dframe, dentries = self._demo_matrix(one)
        self._say("caption", self.label("matrix_stride_one", n=one.shape[0]))
        self._lifted = self._lift_c(frame)
        self.add(dframe, self._demo_zeros, *dentries.values())
        self.narration.settle("caption")
        boxes = VGroup(*[self._row_box(dframe, r, hl) for r in kept])
        self._say("caption", self.label("matrix_stride_keeps", s=format_axes(s.stride),
                                        rows=_rows_text(kept)))
        self.add(boxes)
        self.record("stride_rows", rows=one.shape[0], kept=list(kept),
                    drawn={key: self._entry_label(k) for key, k in _keys(one).items()})
        self.narration.settle("caption")
        row_of = {r: i for i, r in enumerate(kept)}
        dropped = [m for (r, _), m in dentries.items() if r not in row_of]
        gone = VGroup(self._demo_zeros, *dropped)
        moves = {(r, c): (row_of[r], c) for (r, c) in dentries if r in row_of}
        self._close_up(dframe, dentries, gone, moves, frame, keep=boxes)

    def _claim_padding(self, frame: CellGrid) -> None:
        """Padding: C over the padded input, the padding columns struck out and labelled, then
        deleted."""
        s, th, lay = self.spec, self.theme, self.layout
        wide = conv_matrix(padded_input_spec(s))
        padding, kept = padding_columns(s)
        dframe, dentries = self._demo_matrix(wide)
        self._say("caption", self.label("matrix_pad_wide", n=wide.shape[1]))
        self._lifted = self._lift_c(frame)
        self.add(dframe, self._demo_zeros, *dentries.values())
        self.narration.settle("caption")
        strikes = VGroup()
        for g in padding:
            top, bottom = dframe.cell_center((0, g)), dframe.cell_center((wide.shape[0] - 1, g))
            half = dframe.cell_size / 2
            veil = Rectangle(width=dframe.cell_size, height=top[1] - bottom[1] + 2 * half)
            veil.move_to((top + bottom) / 2).set_fill(th.background, 0.6).set_stroke(width=0)
            strikes.add(veil, Line(top + half * np.array([0, 1, 0]),
                                   bottom - half * np.array([0, 1, 0]))
                        .set_stroke(th.highlight, width=4))
        cap = lay.matrix.caption
        under = dframe.outline.get_bottom()[1] - cap.height / 2
        label_box = Box(lay.matrix.box.x, under, max(lay.matrix.box.width, 4 * cap.height),
                        cap.height)
        label = text_line(self.label("matrix_pad_label"), label_box, lay.caption_font,
                          th.ink("text"))
        self._say("caption", self.label("matrix_pad_struck", n=len(padding)))
        self.add(strikes, label)
        self.record("padding_columns", cols=wide.shape[1], struck=list(padding),
                    label=self.label("matrix_pad_label"))
        self.narration.settle("caption")
        struck = [m for (_, g), m in dentries.items() if g not in kept]
        gone = VGroup(strikes, label, self._demo_zeros, *struck)
        moves = {(r, g): (r, kept[g]) for (r, g) in dentries if g in kept}
        self._close_up(dframe, dentries, gone, moves, frame)


def _keys(mat: ConvMatrix) -> dict[tuple[int, int], int]:
    return {(r, c): k for r in range(mat.shape[0]) for c, k in mat.row_kernel_cells(r)}
