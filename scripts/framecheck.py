#!/usr/bin/env python
"""Same picture? Every frame of a render recorded, then compared with another render (issue 20).

``record`` renders a case (a :data:`perfbench.CASES` name) at the default GIF size and keeps
every frame manim hands the encoder (zlib-compressed RGBA, before any GIF palette) in a file;
``compare`` renders the case again and compares it frame by frame with a recording: the frame
counts, the largest difference of any channel of any pixel (0–255) and how many pixels differ.
``--plain`` draws through manim's own ``Camera`` (the kit's static layers off), so a recording
made with ``--plain`` before a change checks both the layers and the change. ``--sheet PNG``
also writes the recording's and the new render's frames side by side (9 of them, evenly spaced)
for looking.

Usage::

    .venv/bin/python scripts/framecheck.py record CASE REF.pkl [--plain]
    .venv/bin/python scripts/framecheck.py compare CASE REF.pkl [--plain] [--sheet X.png]
"""

from __future__ import annotations

import argparse
import pickle
import sys
import zlib
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from perfbench import make_scene  # noqa: E402


def frames_of(case: str, plain: bool) -> list[tuple[np.ndarray, int]]:
    """Every frame (RGBA, repeat count) of ``case`` at quality low's GIF size (854×480)."""
    from scenes.pipeline.frames import render_to_sink

    out: list[tuple[bytes, tuple[int, ...], int]] = []

    def keep(pixels: np.ndarray, repeat: int) -> None:
        a = np.ascontiguousarray(pixels, dtype=np.uint8)
        out.append((zlib.compress(a.tobytes(), 1), a.shape, repeat))

    render_to_sink(lambda: make_scene(case, plain), keep, width=854, height=480, fps=12.5)
    return out  # type: ignore[return-value]


def unpack(item: tuple[bytes, tuple[int, ...], int]) -> np.ndarray:
    data, shape, _ = item
    return np.frombuffer(zlib.decompress(data), np.uint8).reshape(shape)


def compare(ref: list[Any], new: list[Any]) -> dict[str, Any]:
    """Frame counts, largest channel difference, differing pixels (over all frames) of two
    recordings, frame by frame (repeat counts compared too)."""
    worst, differing, worst_frame = 0, 0, -1
    for k, (a, b) in enumerate(zip(ref, new)):
        if a[0] == b[0]:
            continue
        d = np.abs(unpack(a).astype(np.int16) - unpack(b).astype(np.int16)).max(axis=2)
        differing += int((d > 0).sum())
        if int(d.max()) > worst:
            worst, worst_frame = int(d.max()), k
    return {"frames": (len(ref), len(new)),
            "repeats_equal": [r[2] for r in ref] == [n[2] for n in new],
            "max_diff": worst, "worst_frame": worst_frame, "pixels_differing": differing}


def side_by_side(ref: list[Any], new: list[Any], out: Path, n: int = 9) -> None:
    from PIL import Image, ImageDraw

    count = min(len(ref), len(new))
    picks = sorted({round(i * (count - 1) / max(n - 1, 1)) for i in range(n)})
    tw, th = 427, 240
    img = Image.new("RGB", (2 * tw, len(picks) * (th + 14)), "white")
    draw = ImageDraw.Draw(img)
    for row, k in enumerate(picks):
        for col, rec in enumerate((ref, new)):
            tile = Image.fromarray(unpack(rec[k])[:, :, :3]).resize((tw, th))
            img.paste(tile, (col * tw, row * (th + 14) + 14))
        draw.text((4, row * (th + 14)), f"frame {k}: recorded | new", fill="black")
    img.save(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("action", choices=("record", "compare"))
    ap.add_argument("case")
    ap.add_argument("ref", type=Path)
    ap.add_argument("--plain", action="store_true", help="draw through manim's own Camera")
    ap.add_argument("--sheet", type=Path, help="compare: also write frames side by side here")
    args = ap.parse_args(argv)
    frames = frames_of(args.case, args.plain)
    if args.action == "record":
        args.ref.write_bytes(pickle.dumps(frames, protocol=pickle.HIGHEST_PROTOCOL))
        print(f"{args.case}: {len(frames)} frames recorded -> {args.ref}")
        return 0
    ref = pickle.loads(args.ref.read_bytes())
    result = compare(ref, frames)
    if args.sheet:
        side_by_side(ref, frames, args.sheet)
    same = result["frames"][0] == result["frames"][1] and result["repeats_equal"]
    print(f"{args.case}: frames {result['frames'][0]} recorded / {result['frames'][1]} new, "
          f"repeats {'equal' if result['repeats_equal'] else 'DIFFER'}, max difference "
          f"{result['max_diff']}/255 (frame {result['worst_frame']}), "
          f"{result['pixels_differing']} pixels differ")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
