"""The one place that sizes and places grids and text rows in the frame.

A scene describes what it shows — grids by shape, stacked in columns, plus rows of text above and
below — and a planner returns boxes (frame units, manim's coordinates: origin at the centre,
``y`` up) for each of them, a common cell size, and font sizes. Everything returned lies inside the
frame and no two boxes overlap, so text fitted into its box with :func:`fit_text` cannot overlap
other text. When the cells become too small for numbers readable at 480p the plan says
``numeric=False`` and the scene draws the schematic view.

Split by concern:

========================  ==========================================================================
``geometry``              boxes, grid slots, measured text metrics, fitting a mobject in a box,
                          word wrap
``legibility``            what is readable at 480p; :func:`check_cells`, the scenes' size limits
``frame``                 margins, fonts, the text rows and the band between them (every planner)
``grids``                 grids in columns plus text rows (:func:`plan`), text-only screens
``matrix``                the matrix view (A2)
``nodes``                 two rows of nodes (A3)
``rows``                  rows of cells with labels beside them (OutputSize)
========================  ==========================================================================

Every name scenes import is re-exported here (``from scenes.layout import plan, Box``).
"""

from scenes.layout.frame import GridPlan
from scenes.layout.geometry import (
    CHAR_WIDTH,
    DIGIT_HEIGHT,
    LINE_HEIGHT,
    TEXT_CHAR_WIDTH,
    Box,
    GridSlot,
    fit_text,
    grid_rows_cols,
    halves_over,
    mobject_box,
    split_box,
    wrap_words,
)
from scenes.layout.grids import Layout, plan, plan_best, text_screen
from scenes.layout.legibility import (
    MIN_CELL_PX_480P,
    MIN_GLYPH_PX_480P,
    MIN_TEXT_PX_480P,
    REF_FRAME_HEIGHT,
    REF_FRAME_WIDTH,
    REF_PIXEL_HEIGHT,
    check_cells,
    fit_font,
    largest_square_input,
    px_480p,
    readable,
    text_px_480p,
    value_chars,
)
from scenes.layout.matrix import MatrixLayout, plan_matrix, plan_matrix_best
from scenes.layout.nodes import NodeRow, NodeRowsLayout, plan_node_rows
from scenes.layout.rows import (
    MAX_1D_CELL_FRACTION,
    LabelledRows,
    plan_labelled_rows,
    plan_stacked_1d,
)

__all__ = [
    "Box",
    "GridSlot",
    "GridPlan",
    "Layout",
    "plan",
    "plan_best",
    "grid_rows_cols",
    "value_chars",
    "fit_text",
    "fit_font",
    "readable",
    "split_box",
    "wrap_words",
    "halves_over",
    "text_screen",
    "mobject_box",
    "DIGIT_HEIGHT",
    "CHAR_WIDTH",
    "TEXT_CHAR_WIDTH",
    "LINE_HEIGHT",
    "MIN_GLYPH_PX_480P",
    "MIN_CELL_PX_480P",
    "REF_PIXEL_HEIGHT",
    "REF_FRAME_WIDTH",
    "REF_FRAME_HEIGHT",
    "px_480p",
    "text_px_480p",
    "MIN_TEXT_PX_480P",
    "largest_square_input",
    "check_cells",
    "NodeRow",
    "NodeRowsLayout",
    "plan_node_rows",
    "MatrixLayout",
    "plan_matrix",
    "plan_matrix_best",
    "LabelledRows",
    "plan_labelled_rows",
    "plan_stacked_1d",
    "MAX_1D_CELL_FRACTION",
]
