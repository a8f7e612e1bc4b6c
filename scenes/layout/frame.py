"""The frame every planner shares: margins, gaps, fonts, full-width text rows above and below, and
the band left between them for the figure (:func:`frame_bands`); :class:`GridPlan`, the fields
every plan with grids of cells holds."""

from __future__ import annotations

from dataclasses import dataclass

from scenes.layout.geometry import LINE_HEIGHT, Box

__all__ = ["FrameBands", "frame_bands", "GridPlan", "row_height", "MAX_CELL_FRACTION",
           "MARGIN_FRACTION", "GAP_FRACTION", "TEXT_FONT", "CAPTION_FONT", "MIN_TEXT_FONT",
           "ROW_SPACING"]


MAX_CELL_FRACTION = 1.0 / 8  # largest cell: 1/8 of the frame height (1 unit in a default frame)
MARGIN_FRACTION = 0.035  # frame margin, fraction of the frame height
GAP_FRACTION = 0.06  # gap between columns / stacked grids, fraction of the frame height
TEXT_FONT = 24.0
CAPTION_FONT = 24.0
MIN_TEXT_FONT = 14.0
ROW_SPACING = 1.3  # row height / line height


def row_height(font: float) -> float:
    return LINE_HEIGHT * font * ROW_SPACING


@dataclass(frozen=True, slots=True)
class FrameBands:
    """What every planner shares: the frame, its margin and gap, the fonts, the full-width text
    rows (``top`` and ``bottom``) and the band left between them for the figure."""

    width: float
    height: float
    margin: float
    gap: float
    text_font: float
    caption_font: float
    row_h: float
    cap_h: float
    band_top: float
    band_bottom: float
    top: tuple[Box, ...]
    bottom: tuple[Box, ...]


def frame_bands(frame_width: float, frame_height: float, top_rows: int,
                bottom_rows: int) -> FrameBands:
    """Margins, fonts (text rows take at most 40 % of the height) and text-row boxes."""
    H, W = float(frame_height), float(frame_width)
    margin, gap, scale = MARGIN_FRACTION * H, GAP_FRACTION * H, H / 8.0  # fonts: 8-unit frame
    text_font, caption_font = TEXT_FONT * scale, CAPTION_FONT * scale
    n_rows = top_rows + bottom_rows
    if n_rows:
        text_font = min(text_font, 0.4 * (H - 2 * margin) / (n_rows * LINE_HEIGHT * ROW_SPACING))
        text_font = max(text_font, MIN_TEXT_FONT * scale)
    row_h, cap_h = row_height(text_font), row_height(caption_font)
    row_w = W - 2 * margin
    top = tuple(Box(0.0, H / 2 - margin - (i + 0.5) * row_h, row_w, row_h) for i in range(top_rows))
    bottom = tuple(
        Box(0.0, -H / 2 + margin + (bottom_rows - i - 0.5) * row_h, row_w, row_h)
        for i in range(bottom_rows)
    )
    return FrameBands(
        W, H, margin, gap, text_font, caption_font, row_h, cap_h,
        band_top=H / 2 - margin - top_rows * row_h - (gap / 2 if top_rows else 0),
        band_bottom=-H / 2 + margin + bottom_rows * row_h + (gap / 2 if bottom_rows else 0),
        top=top, bottom=bottom,
    )



@dataclass(frozen=True, slots=True)
class GridPlan:
    """What every plan with grids of cells holds: the frame, the cell side and the fonts.

    Attributes
    ----------
    frame_width, frame_height : float
        The frame, in manim units.
    cell : float
        The common cell side.
    numeric : bool
        Whether numbers in cells are readable (requested and large enough).
    value_font : float
        ``font_size`` for a number inside a cell.
    caption_font, text_font : float
        ``font_size`` for grid captions and for text rows.
    """

    frame_width: float
    frame_height: float
    cell: float
    numeric: bool
    value_font: float
    caption_font: float
    text_font: float

    @property
    def frame(self) -> Box:
        return Box(0.0, 0.0, self.frame_width, self.frame_height)

