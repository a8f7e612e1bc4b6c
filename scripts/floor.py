#!/usr/bin/env python
"""The floor of the default A1 GIF: its frames drawn directly with pycairo, encoded by convanim's
own GIF encoder (:class:`scenes.pipeline.gifout.GifWriter`). Not a test; ``make bench`` runs it
in a subprocess beside the real render and compares CPU seconds (issue 20).

What it draws on every frame, all of it again each time (no caching, like a naive renderer): the
default A1's picture at the default GIF size (854×480) — a 7×7 padded input grid (5×5 input,
padding 1: dashed padding cells, filled real cells, 49 numbers), a 3×3 kernel with its 9 numbers
tinted, a 3×3 output filled step by step, the window sliding over the input (stride 2, 9 steps),
the two link lines from the window to the output cell, a title and a caption line: about the 180
shapes and glyph runs manim draws per frame. Text uses cairo's toy text API (one
``show_text`` per string).

The frame count defaults to the real render's (91 GIF frames, each lasting one period);
``--frames N`` changes it (the bench passes the real render's count). Every frame differs from
the one before (the window slides all the way, rows included), as every frame the real GIF
stores does, so the encoder gets as many frames to store as it gets from the real render
(a window that waited in place for a third of the frames made the encoder merge them, and the
floor cheaper than the real frames: 63 stored for 91). It imports neither manim
nor the scenes' kit (only :mod:`scenes.pipeline.gifout`, numpy, pycairo and PyAV).

Usage::

    .venv/bin/python scripts/floor.py OUT.gif [--frames 91] [--width 854] [--height 480]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cairo
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenes.pipeline.gifout import GifWriter, ThreadedSink  # noqa: E402

#: The light palette's flat colours (as #RRGGBB), kept exact in the GIF like the real render's.
BG, INK, MUTED, GRID, PAD = "#ffffff", "#1a1a1a", "#5c5c5c", "#404040", "#8c8c8c"
INPUT, KERNEL, OUTPUT, WINDOW, LINK = "#d6e6f5", "#f5e0c8", "#d8efd8", "#e69f00", "#0072b2"
KERNEL_TINTS = ("#f7d9b0", "#cfe3f3", "#d9efe4", "#f3d1e3", "#fff3b3", "#d5d5ef", "#f1dcc9",
                "#dde9c5", "#e3e3e3")

X = np.array([[3, 0, 1, 3, 2], [1, 4, 2, 0, 3], [2, 1, 0, 4, 1], [0, 3, 2, 1, 4],
              [4, 2, 3, 0, 1]])
W = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])


def rgb(c: str) -> tuple[float, float, float]:
    return tuple(int(c[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def text(ctx: cairo.Context, s: str, x: float, y: float, size: float, color: str) -> None:
    ctx.set_font_size(size)
    ext = ctx.text_extents(s)
    ctx.set_source_rgb(*rgb(color))
    ctx.move_to(x - ext.width / 2 - ext.x_bearing, y - ext.height / 2 - ext.y_bearing)
    ctx.show_text(s)


def grid(ctx: cairo.Context, values: np.ndarray, x0: float, y0: float, cell: float,
         fill: str | list[str], pad: int = 0, shown: int | None = None) -> None:
    """A grid with a ``pad``-cell dashed border, fills, outlines and one number per cell."""
    rows, cols = values.shape[0] + 2 * pad, values.shape[1] + 2 * pad
    for r in range(rows):
        for c in range(cols):
            x, y = x0 + c * cell, y0 + r * cell
            inside = pad <= r < rows - pad and pad <= c < cols - pad
            k = (r - pad) * values.shape[1] + (c - pad)
            ctx.rectangle(x, y, cell, cell)
            if inside and (shown is None or k < shown):
                ctx.set_source_rgb(*rgb(fill[k] if isinstance(fill, list) else fill))
                ctx.fill_preserve()
            ctx.set_line_width(1.5)
            if inside:
                ctx.set_dash([])
                ctx.set_source_rgb(*rgb(GRID))
            else:
                ctx.set_dash([cell / 6, cell / 6], cell / 12)
                ctx.set_source_rgb(*rgb(PAD))
            ctx.stroke()
            ctx.set_dash([])
            if inside and (shown is None or k < shown):
                s = str(int(values[r - pad, c - pad]))
                text(ctx, s, x + cell / 2, y + cell / 2, 0.45 * cell, INK)
            elif not inside:
                text(ctx, "0", x + cell / 2, y + cell / 2, 0.45 * cell, MUTED)


def draw_frame(ctx: cairo.Context, width: int, height: int, t: float, y: np.ndarray) -> None:
    """The picture at time ``t`` in [0, 1] of the run (the window at step ``t * 9``)."""
    ctx.set_source_rgb(*rgb(BG))
    ctx.paint()
    cell = height / 12
    ix, iy = width * 0.08, height * 0.2
    kx, ky = width * 0.48, height * 0.32
    ox, oy = width * 0.7, height * 0.3
    text(ctx, "Sliding a 3×3 kernel over a 5×5 input: stride 2, padding 1", width / 2,
         height * 0.07, 0.4 * cell, INK)
    grid(ctx, X, ix, iy, cell, INPUT, pad=1)
    grid(ctx, W, kx, ky, cell * 0.8, list(KERNEL_TINTS))
    pos = t * 8  # slides from step 0 (t = 0) to step 8 (t = 1), a little on every frame
    step = min(int(pos), 7)
    frac = pos - step
    shown = step + (frac >= 1)
    grid(ctx, y, ox, oy, cell, OUTPUT, shown=shown)
    (r0, c0), (r1, c1) = divmod(step, 3), divmod(step + 1, 3)
    wx = ix + 2 * (c0 + (c1 - c0) * frac) * cell
    wy = iy + 2 * (r0 + (r1 - r0) * frac) * cell
    r, c = divmod(shown, 3)
    ctx.rectangle(wx, wy, 3 * cell, 3 * cell)
    ctx.set_source_rgba(*rgb(WINDOW), 0.25)
    ctx.fill_preserve()
    ctx.set_source_rgb(*rgb(WINDOW))
    ctx.set_line_width(4)
    ctx.stroke()
    tx, ty = ox + c * cell, oy + r * cell
    ctx.set_source_rgba(*rgb(LINK), 0.8)
    ctx.set_line_width(2)
    for dy in (0, cell):
        ctx.move_to(wx + 3 * cell, wy + (3 * cell if dy else 0))
        ctx.line_to(tx, ty + dy)
    ctx.stroke()
    terms = " + ".join(f"{int(w)}·{int(v)}" for w, v in zip(W.ravel()[:5], X.ravel()[:5]))
    text(ctx, f"Step {shown + 1} of 9: {terms} + … = {int(y.ravel()[shown])}", width / 2,
         height * 0.9, 0.36 * cell, INK)


def output_values() -> np.ndarray:
    """The 3×3 output of X ⋆ W (stride 2, padding 1), by naive loops."""
    xp = np.pad(X, 1)
    return np.array([[int((xp[2 * i:2 * i + 3, 2 * j:2 * j + 3] * W).sum()) for j in range(3)]
                     for i in range(3)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--frames", type=int, default=91)
    ap.add_argument("--width", type=int, default=854)
    ap.add_argument("--height", type=int, default=480)
    ap.add_argument("--fps", type=float, default=12.5)
    args = ap.parse_args(argv)
    w, h = args.width, args.height
    keep = [BG, INK, MUTED, GRID, PAD, INPUT, KERNEL, OUTPUT, WINDOW, LINK, *KERNEL_TINTS]
    sink = ThreadedSink(GifWriter(args.out, w, h, args.fps, keep_colors=keep, dither="none"))
    y = output_values()
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, w, h)
    ctx = cairo.Context(surface)
    ctx.select_font_face("Sans")
    view = np.ndarray((h, w, 4), np.uint8, surface.get_data())
    for k in range(args.frames):
        draw_frame(ctx, w, h, k / max(args.frames - 1, 1), y)
        surface.flush()
        sink.write_frame(np.ascontiguousarray(view[:, :, [2, 1, 0, 3]]), 1)
    stats = sink.close()
    print(f"floor: {args.frames} frames {w}x{h} -> {args.out} "
          f"({args.out.stat().st_size} bytes, {getattr(stats, 'frames', '?')} stored)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
