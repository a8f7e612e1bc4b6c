"""The sliding-filter scene's plan and limit (:class:`scenes.sliding.SlidingFilter`), manim-free."""

from __future__ import annotations

from collections.abc import Sequence

from convmath import ConvSpec, uncropped_spec
from convmath.explain import format_shape
from scenes.layout import Layout, plan_best, plan_stacked_1d, wrap_words
from scenes.plans import check_planned_cells

__all__ = ["BOTTOM_ROWS", "plan_layout", "check_spec"]

#: Text rows under the grids: worked sum (2 rows), a note (1 row); the formula takes all three.
BOTTOM_ROWS = 3


def plan_layout(
    spec: ConvSpec,
    *,
    frame_width: float,
    frame_height: float,
    numeric: bool = True,
    chars: int = 2,
    title: str | None = None,
    labels: Sequence[str] = (),
) -> tuple[int, Layout, list[str]]:
    """The scene's layout, the title above, :data:`BOTTOM_ROWS` text rows below.

    1D: kernel, input and output stacked (one layout for every 1D spec, so an output cell
    is never read as one more input cell), cells as large as the free frame allows
    (captions above the rows, or ``labels`` — the captions the scene may show — beside
    them when that gives larger cells); 2D: kernel │ grid │ output side by side, grid │
    kernel over output, or all three stacked, whichever gives the largest cells. ``title``
    is wrapped into one row, or two when it does not fit one; ``None`` plans two rows (the
    layout :func:`check_spec` judges). Frame sizes in frame units; ``chars`` is the widest
    number's length. Returns ``(arrangement, layout, title_lines)``.
    """
    s = spec
    g = uncropped_spec(s).grid_shape  # the drawn grid with its cropped cells (issue 12 #3)
    if s.ndim == 1:
        return _plan_1d(s, frame_width=frame_width, frame_height=frame_height,
                        numeric=numeric, chars=chars, title=title, labels=labels)
    stacked = [[s.kernel_shape, g, s.output_shape]]
    arrangements = [
        [[s.kernel_shape], [g], [s.output_shape]],
        [[g], [s.kernel_shape, s.output_shape]],
        stacked,
    ]
    kw = dict(frame_width=frame_width, frame_height=frame_height, bottom_rows=BOTTOM_ROWS,
              numeric=numeric, chars=chars,
              captions=_caption_chars(labels) if labels else None)
    if title is None:
        return (*plan_best(arrangements, top_rows=2, **kw), [])
    which, lay = plan_best(arrangements, top_rows=1, **kw)
    title_lines = wrap_words(title, lay.row_chars, 2)
    if len(title_lines) > 1:  # a long title takes two rows rather than a tiny font
        which, lay = plan_best(arrangements, top_rows=2, **kw)
        title_lines = wrap_words(title, lay.row_chars, 2)
    return which, lay, title_lines


def _caption_chars(labels: Sequence[str]) -> list[list[list[int]]]:
    """The captions' lengths (input, kernel — the flipped kernel's too —, output) shaped
    like the three 2D arrangements of :func:`plan_layout`."""
    g, o = len(labels[0]), len(labels[2])
    k = max(len(lab) for lab in (labels[1], *labels[3:]))
    return [[[k], [g], [o]], [[g], [k, o]], [[k, g, o]]]


def _plan_1d(s: ConvSpec, *, title: str | None, labels: Sequence[str], **kw
             ) -> tuple[int, Layout, list[str]]:
    """1D: kernel, input and output rows stacked, as large as the free frame allows
    (:func:`scenes.layout.plan_stacked_1d`: captions above, or beside when that gives
    larger cells). Arrangement 2 (stacked) or 3 (stacked, captions beside)."""
    lengths = [s.kernel_shape[0], uncropped_spec(s).grid_shape[0], s.output_shape[0]]
    label_chars = max((len(t) for t in labels), default=16)

    def best(top: int) -> tuple[int, Layout]:
        beside, lay = plan_stacked_1d(lengths, label_chars=label_chars, top_rows=top,
                                      bottom_rows=BOTTOM_ROWS, **kw)
        return (3 if beside else 2), lay

    if title is None:
        return (*best(2), [])
    which, lay = best(1)
    title_lines = wrap_words(title, lay.row_chars, 2)
    if len(title_lines) > 1:
        which, lay = best(2)
        title_lines = wrap_words(title, lay.row_chars, 2)
    return which, lay, title_lines


def check_spec(spec: ConvSpec, mode: str = "numeric", *, name: str = "SlidingFilter") -> None:
    """Raise :class:`convmath.ConvMathError` when the cells of :func:`plan_layout` at the
    reference 480p frame (with a two-row title) are smaller than
    :data:`scenes.layout.MIN_CELL_PX_480P`. Numbers are never the limit: numeric mode falls
    back to the schematic view when they would be unreadable (``mode`` is accepted for the
    common signature). ``name`` is the scene named in the message."""
    check_planned_cells(name, spec, plan_layout,
                        lambda sp: f"the drawn grid {format_shape(sp.grid_shape)}",
                        lambda planned: planned[1])
