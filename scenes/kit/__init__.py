"""The scene kit: everything a scene needs besides its own drawing.

========================  ==========================================================================
``theme``                 the one palette (light, dark), text inks (contrast >= 4.5:1), CVD
``text``                  the one text factory (:func:`text_line`), cached Pango text, word wrap
``grid``                  :class:`CellGrid` and the marks drawn on grids
``log``                   the typed scene log and the teaching rules checked on it
``narration``             says and replaces texts (reading time, hard cuts)
``pacing``                "first steps in full, then faster", cause before effect
``weights``               :class:`KernelWeights`: how weights are written (fractions exactly)
``base``                  :class:`ConvScene`: inputs, options, preview, sections, closing hold
========================  ==========================================================================
"""

from scenes.kit.base import MODES, ConvScene, scene_defaults
from scenes.kit.grid import CellGrid, segments_path, show_or_move
from scenes.kit.log import SceneLog
from scenes.kit.narration import Narration
from scenes.kit.pacing import Pacer, Phase, Timing, plan_pacing
from scenes.kit.text import FONT, make_markup, make_text, text_line, text_lines, wrap_words
from scenes.kit.theme import DARK, LIGHT, THEMES, Theme, get_theme
from scenes.kit.weights import KernelWeights

__all__ = ["ConvScene", "MODES", "scene_defaults", "CellGrid", "segments_path", "show_or_move",
           "SceneLog", "Narration", "Pacer", "Phase", "Timing", "plan_pacing", "FONT", "make_text",
           "make_markup", "text_line", "text_lines", "wrap_words", "Theme", "THEMES", "LIGHT",
           "DARK", "get_theme", "KernelWeights"]
