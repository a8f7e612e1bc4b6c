#!/usr/bin/env python3
"""Contact sheet of an animation: N frames spread over a GIF/MP4/WebM, tiled into one PNG.

    python scripts/contact_sheet.py media/sliding.gif -n 9 -o /tmp/sheet.png

Frames are taken at evenly spaced times (the first and the last included) and labelled with
their index and time, so a reviewer can look at a whole animation in one picture.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import av
from PIL import Image, ImageDraw


def frames_of(path: Path) -> list[tuple[float, Image.Image]]:
    """Every distinct frame of ``path`` with its start time in seconds."""
    out: list[tuple[float, Image.Image]] = []
    with av.open(str(path)) as box:
        stream = box.streams.video[0]
        for frame in box.decode(stream):
            t = float(frame.pts * stream.time_base) if frame.pts is not None else len(out)
            out.append((t, frame.to_image().convert("RGB")))
    return out


def sheet(path: Path, n: int, width: int) -> Image.Image:
    """``n`` frames of ``path`` (evenly spaced, first and last included), ``width`` px each."""
    frames = frames_of(path)
    picks = sorted({round(i * (len(frames) - 1) / max(n - 1, 1)) for i in range(n)})
    cols = min(3, len(picks))
    rows = math.ceil(len(picks) / cols)
    w0, h0 = frames[0][1].size
    scale = width / w0
    tw, th = width, round(h0 * scale)
    img = Image.new("RGB", (cols * tw, rows * (th + 16)), "white")
    draw = ImageDraw.Draw(img)
    for k, idx in enumerate(picks):
        t, fr = frames[idx]
        x, y = (k % cols) * tw, (k // cols) * (th + 16)
        img.paste(fr.resize((tw, th)), (x, y + 16))
        draw.text((x + 4, y + 2), f"frame {idx}/{len(frames) - 1}  t={t:.2f}s", fill="black")
    return img


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("animation", type=Path)
    ap.add_argument("-n", type=int, default=9, help="frames to show (default 9)")
    ap.add_argument("--width", type=int, default=427, help="pixel width of each tile")
    ap.add_argument("-o", "--output", type=Path, default=None,
                    help="PNG to write (default: /tmp/<name>_sheet.png)")
    a = ap.parse_args()
    out = a.output or Path("/tmp") / f"{a.animation.stem}_sheet.png"
    sheet(a.animation, a.n, a.width).save(out)
    print(out)


if __name__ == "__main__":
    main()
