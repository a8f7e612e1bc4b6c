#!/usr/bin/env python
"""`make bench`: speed, size, memory and GIF quality of convanim's renders (a script, not a test).

For a fixed set of scenes — the default A1 (SlidingFilter), a 7×7 stride-1 A1 (25 steps), A2
(MatrixView) and A3 (Connectivity); scenes that do not exist yet are skipped with a note — it
renders, each in a fresh subprocess (so peak memory is that render's alone, read with
``os.wait4``):

* our GIF (default width and frame rate) and our MP4 (quality low);
* IN THE SAME RUN, the same scene through manim's own ``--format gif`` at our GIF's size and frame
  rate, and manim's plain MP4 at quality low (its caching off, like ours);
* the lossless frames, against which both GIFs' PSNR is computed (time-aligned, every frame).

It prints a table, the ratios to manim, and PASS/MISS for each target of issue 8; then every
catalog scene's default GIF (``convanim render SCENE --quality low``) with its size and PASS/FAIL
against 500 KB (``--gif-sizes SCENES`` runs only that part). The row
``explain`` times one whole ``convanim explain --input 70 --kernel 30 --padding same --max-steps 1``
process (issue 12 #9: under 2 s and 200 MB; wall, CPU and peak RSS). For the default
A1 it also renders at 1080p (our GIF at 1920×1080/50 fps, our MP4 and manim's MP4 at 1080p60: the
memory target) and measures manim's own caching (cold and warm); ``--quick`` skips both, ``--4k``
adds 4K renders of it (GIF, MP4, WebM). Wall
times depend on what else runs on the machine: the CPU column (user+sys) is the steadier one.

Usage::

    .venv/bin/python scripts/bench.py [--only A1,A2] [--quick] [--4k] [--keep DIR]
    .venv/bin/python scripts/bench.py --gif-sizes sliding,flip   # or all: default GIF sizes only
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ITEMS: dict[str, str] = {
    "A1": "default A1 SlidingFilter (5×5, k3, s2, p1: 9 steps)",
    "A1-25": "A1 SlidingFilter 7×7, k3, stride 1 (25 steps)",
    "A2": "A2 MatrixView (defaults)",
    "A3": "A3 Connectivity (defaults)",
    "superposition": "Superposition (defaults: 2×2 transposed, stride 2)",
    # Issue 18's scenes, each with its catalog defaults.
    "channels": "ChannelFilter (defaults: 4×4, 3 → 2 channels, bias)",
    "groups": "ChannelGroups (defaults: 4 → 8 channels, 2 groups)",
    "features": "FeatureMaps (defaults: the 24×24 default image)",
    # Issue 12 #9: explain builds its steps lazily (target: < 2 s wall and < 200 MB).
    "explain": "convanim explain --input 70 --kernel 30 --padding same --max-steps 1",
}

#: The command of the ``explain`` row (a whole CLI process: imports included).
EXPLAIN_ARGS: tuple[str, ...] = ("explain", "--input", "70", "--kernel", "30", "--padding",
                                 "same", "--max-steps", "1")
EXPLAIN_TARGET_S, EXPLAIN_TARGET_MB = 2.0, 200.0

KB = 1024


# --- child side ----------------------------------------------------------------------------------


def make_scene_factory(item: str) -> Any:
    """A zero-argument callable building the item's scene (imports manim)."""
    if item in ("A1", "A1-25"):
        from scenes.sliding import SlidingFilter

        if item == "A1":
            return lambda: SlidingFilter()
        from convmath import ConvSpec

        spec = ConvSpec((7, 7), 3, stride=1, padding=0)
        return lambda: SlidingFilter(spec)
    if item == "A2":
        from scenes.matrix import MatrixView

        return lambda: MatrixView()
    if item == "A3":
        from scenes.connectivity import Connectivity

        return lambda: Connectivity()
    if item in ("channels", "groups", "features", "superposition"):
        from scenes.catalog import load_scene_class

        return load_scene_class(item)
    raise ValueError(f"unknown item {item}")


def child_ours(job: dict[str, Any]) -> dict[str, Any]:
    from scenes.pipeline.frames import render_to_file

    make = make_scene_factory(job["item"])
    t = time.perf_counter()
    info = render_to_file(
        make, Path(job["out"]), fmt=job["fmt"], quality=job["quality"], fps=job.get("fps"),
        width=job.get("width"),
    )
    return {
        "render_s": time.perf_counter() - t, "frames": info.frames, "bytes": info.bytes,
        "width": info.width, "height": info.height, "fps": info.fps,
    }


def child_manim(job: dict[str, Any]) -> dict[str, Any]:
    import av
    from manim import tempconfig

    make = make_scene_factory(job["item"])
    media = Path(job["media"])
    t = time.perf_counter()
    with tempconfig(
        {
            "format": job["fmt"], "pixel_width": job["width"], "pixel_height": job["height"],
            "frame_rate": job["fps"], "disable_caching": not job.get("cache", False),
            "progress_bar": "none", "verbosity": "ERROR", "media_dir": str(media),
            "output_file": "bench",
        }
    ):
        scene = make()
        scene.render()
        out = Path(scene.renderer.file_writer.final_file_path)
    elapsed = time.perf_counter() - t
    with av.open(str(out)) as c:
        frames = sum(1 for _ in c.decode(video=0))
    size = out.stat().st_size
    if job.get("out"):
        shutil.copyfile(out, job["out"])
    return {"render_s": elapsed, "frames": frames, "bytes": size}


def child_lossless(job: dict[str, Any]) -> dict[str, Any]:
    """Render once, teeing every frame into lossless storage (libx264rgb qp 0) and into our GIF
    writer (as render_to_file sets it up); then the PSNR of that GIF, and of manim's, against the
    lossless frames. Same process, same frames: scene edits between runs cannot skew it."""
    from fractions import Fraction

    import av

    from scenes.pipeline.frames import render_to_sink
    from scenes.pipeline.gifout import GifWriter
    from scenes.pipeline.writers import theme_colors

    make = make_scene_factory(job["item"])
    path, gif_path = Path(job["out"]), Path(job["gif"])
    w, h, fps = job["width"], job["height"], job["fps"]
    gif: list[GifWriter] = []

    def make_and_writer() -> Any:
        scene = make()
        keep = theme_colors(getattr(scene, "theme", None))
        gif.append(GifWriter(gif_path, w, h, fps, keep_colors=keep, measure_psnr=True))
        return scene

    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264rgb", rate=Fraction(fps).limit_denominator(1001),
                                options={"qp": "0", "preset": "ultrafast"})
        stream.width, stream.height, stream.pix_fmt = w, h, "bgr0"
        n = 0

        def write(pixels: Any, repeat: int) -> None:
            nonlocal n
            gif[0].write_frame(pixels, repeat)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgba")
            for _ in range(repeat):
                frame.pts = n
                n += 1
                for packet in stream.encode(frame):
                    out.mux(packet)

        render_to_sink(make_and_writer, write, width=w, height=h, fps=fps)
        for packet in stream.encode():
            out.mux(packet)
    stats = gif[0].close()
    result: dict[str, Any] = {"frames": n, "psnr_ours": gif_psnr(path, gif_path, fps),
                              "psnr_internal": stats.psnr}
    manim_gif = Path(job["manim_gif"])
    if manim_gif.is_file():
        result["psnr_manim"] = gif_psnr(path, manim_gif, fps)
    timed = Path(job["timed_gif"])
    result["same_as_timed"] = timed.is_file() and timed.read_bytes() == gif_path.read_bytes()
    return result


def gif_psnr(lossless: Path, gif: Path, fps: float) -> float:
    """PSNR (dB) of ``gif`` as displayed against the lossless frames: lossless frame k (shown at
    k/fps) is compared with the GIF frame on screen at that moment (Pillow composites frames)."""
    import av
    import numpy as np
    from PIL import Image

    sq, n = 0.0, 0
    with Image.open(gif) as im, av.open(str(lossless)) as c:
        gif_index, gif_end_ms = 0, im.info.get("duration", 0)
        im.seek(0)
        shown = np.asarray(im.convert("RGB"), dtype=np.int32)
        for k, frame in enumerate(c.decode(video=0)):
            t_ms = (k + 0.5) * 1000 / fps
            while t_ms >= gif_end_ms and gif_index + 1 < im.n_frames:
                gif_index += 1
                im.seek(gif_index)
                gif_end_ms += im.info.get("duration", 0)
                shown = np.asarray(im.convert("RGB"), dtype=np.int32)
            ref = frame.to_ndarray(format="rgb24").astype(np.int32)
            if ref.shape != shown.shape:
                return float("nan")
            sq += float(np.mean((ref - shown) ** 2))
            n += 1
    mse = sq / max(n, 1)
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def child_main(job_json: str) -> None:
    job = json.loads(job_json)
    kind = job["kind"]
    result = {"ours": child_ours, "manim": child_manim, "lossless": child_lossless,
              "webp": child_webp}[kind](job)
    print("BENCH-RESULT " + json.dumps(result))


# --- parent side ---------------------------------------------------------------------------------


def run_child(job: dict[str, Any]) -> dict[str, Any]:
    """Run one job in a fresh interpreter; add process wall time, CPU time and peak RSS."""
    t = time.perf_counter()
    p = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(job)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=job.get("cwd"),
    )
    out, err = p.stdout.read(), p.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t
    line = next((s for s in out.splitlines()[::-1] if s.startswith("BENCH-RESULT ")), None)
    if p.returncode != 0 or line is None:
        tail = (err.strip().splitlines() or ["?"])[-1]
        return {"error": tail}
    result = json.loads(line.removeprefix("BENCH-RESULT "))
    result.update(
        # ru_maxrss is in KiB on Linux; report decimal MB (1 GB target = 10^9 bytes)
        process_s=wall, cpu_s=usage.ru_utime + usage.ru_stime,
        peak_mb=usage.ru_maxrss * 1024 / 1e6,
    )
    return result


def run_command(args: tuple[str, ...]) -> dict[str, Any]:
    """Run ``cli.py ARGS`` in a fresh interpreter: wall and CPU seconds, peak RSS, output size."""
    t = time.perf_counter()
    p = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), *args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, cwd=ROOT)
    out, err = p.stdout.read(), p.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        return {"error": (err.strip().splitlines() or ["?"])[-1]}
    return {"process_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss * 1024 / 1e6, "bytes": len(out.encode())}


def available(item: str) -> str | None:
    """``None`` when the item's scene can be imported, else why not."""
    module = {"A1": "scenes.sliding", "A1-25": "scenes.sliding", "A2": "scenes.matrix",
              "A3": "scenes.connectivity", "channels": "scenes.channels",
              "superposition": "scenes.superposition",
              "groups": "scenes.groups", "features": "scenes.features", "explain": "cli"}[item]
    code = f"import {module}"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if r.returncode:
        return (r.stderr.strip().splitlines() or ["import failed"])[-1]
    return None


def fmt_row(item: str, what: str, r: dict[str, Any]) -> str:
    if "error" in r:
        return f"{item:6s} {what:24s} FAILED: {r['error'][:70]}"

    def num(key: str, f: str) -> str:
        v = r.get(key)
        return format(v, f) if isinstance(v, int | float) else "-"

    kb = r["bytes"] / KB if "bytes" in r else None
    return (
        f"{item:6s} {what:24s} {num('render_s', '7.2f')} {num('process_s', '8.2f')} "
        f"{num('cpu_s', '7.2f')} {num('frames', '6d')} "
        f"{(format(kb, '9.0f') if kb is not None else '-'):>9s} {num('peak_mb', '8.0f')}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--only", help="comma-separated items: " + ", ".join(ITEMS))
    ap.add_argument("--quick", action="store_true",
                    help="skip the 1080p renders and the caching measurement")
    ap.add_argument("--4k", dest="uhd", action="store_true",
                    help="also the default A1 at 4K (GIF at 50 fps, MP4, WebM): slow")
    ap.add_argument("--keep", help="keep the outputs in this folder")
    ap.add_argument("--webp", action="store_true",
                    help="only the animated-WebP comparison (issue 16): WebP settings vs our GIF")
    ap.add_argument("--gif-sizes", metavar="SCENES",
                    help="only the default-GIF sizes, of these comma-separated catalog scenes "
                         "(or 'all'); without it they come after the other measurements")
    args = ap.parse_args()
    if args.child:
        child_main(args.child)
        return 0
    if args.webp:
        return webp_main(args)
    if args.gif_sizes:
        return gif_size_section(args.gif_sizes, args.keep)

    from scenes.pipeline.options import QUALITIES, output_geometry

    items = [s.strip() for s in args.only.split(",")] if args.only else list(ITEMS)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="convanim-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    gw, gh, gfps = output_geometry("gif", "low")
    low = QUALITIES["low"]
    print(f"convanim bench — {time.strftime('%Y-%m-%d %H:%M')} — {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"our GIF: {gw}x{gh} @ {gfps:g} fps (defaults); MP4s: {low.width}x{low.height} @ "
          f"{low.fps:g} fps; manim's GIF at our GIF's size and rate; manim's caching off")
    print("render = seconds inside the process (after imports); process = whole subprocess "
          "(with ~2-3 s of imports); cpu = user+sys seconds; peak = max RSS in MB (10^6 bytes); "
          "KB = 1024 bytes\n")
    header = (f"{'item':6s} {'output':24s} {'render':>7s} {'process':>8s} {'cpu':>7s} "
              f"{'frames':>6s} {'KB':>9s} {'peak MB':>8s}")
    print(header)
    print("-" * len(header))
    results: dict[str, dict[str, dict[str, Any]]] = {}
    try:
        for item in items:
            if item not in ITEMS:
                print(f"{item:6s} unknown item (known: {', '.join(ITEMS)})")
                continue
            why = available(item)
            if why is not None:
                print(f"{item:6s} SKIPPED: scene not available ({why[:80]})")
                continue
            if item == "explain":
                results[item] = {"explain": run_command(EXPLAIN_ARGS)}
                print(fmt_row(item, "explain (whole process)", results[item]["explain"]),
                      flush=True)
                continue
            d = work / item
            d.mkdir(exist_ok=True)
            r: dict[str, dict[str, Any]] = {}
            r["our GIF"] = run_child({"kind": "ours", "item": item, "fmt": "gif",
                                      "quality": "low", "out": str(d / "ours.gif")})
            print(fmt_row(item, "our GIF", r["our GIF"]), flush=True)
            r["our MP4 low"] = run_child({"kind": "ours", "item": item, "fmt": "mp4",
                                          "quality": "low", "out": str(d / "ours.mp4")})
            print(fmt_row(item, "our MP4 low", r["our MP4 low"]), flush=True)
            if item == "A1":
                r["our WebM low"] = run_child({"kind": "ours", "item": item, "fmt": "webm",
                                               "quality": "low", "out": str(d / "ours.webm")})
                print(fmt_row(item, "our WebM low", r["our WebM low"]), flush=True)
            r["manim GIF"] = run_child({"kind": "manim", "item": item, "fmt": "gif", "width": gw,
                                        "height": gh, "fps": gfps, "media": str(d / "m_gif"),
                                        "out": str(d / "manim.gif")})
            print(fmt_row(item, "manim GIF (same size)", r["manim GIF"]), flush=True)
            r["manim MP4 low"] = run_child({"kind": "manim", "item": item, "fmt": "mp4",
                                            "width": low.width, "height": low.height,
                                            "fps": low.fps, "media": str(d / "m_mp4")})
            print(fmt_row(item, "manim MP4 low", r["manim MP4 low"]), flush=True)
            ref = run_child({"kind": "lossless", "item": item, "width": gw, "height": gh,
                             "fps": gfps, "out": str(d / "lossless.mkv"),
                             "gif": str(d / "ours_psnr.gif"), "timed_gif": str(d / "ours.gif"),
                             "manim_gif": str(d / "manim.gif")})
            if "error" in ref:
                print(fmt_row(item, "lossless reference", ref))
            else:
                r["our GIF"]["psnr"] = ref.get("psnr_ours")
                r["manim GIF"]["psnr"] = ref.get("psnr_manim")
                same = "identical to" if ref["same_as_timed"] else "DIFFERS from"
                print(f"{item:6s} {'  PSNR vs lossless':24s} ours {ref.get('psnr_ours', 0):.1f} dB "
                      f"(GIF {same} the timed one), manim's {ref.get('psnr_manim', 0):.1f} dB, "
                      f"{ref['frames']} frames")
            if item == "A1" and not args.quick:
                for name, fmt, q in (("our GIF high (50 fps)", "gif", "high"),
                                     ("our MP4 high", "mp4", "high")):
                    r[name] = run_child({"kind": "ours", "item": item, "fmt": fmt, "quality": q,
                                         "out": str(d / f"ours_high.{fmt}")})
                    print(fmt_row(item, name, r[name]), flush=True)
                hq = QUALITIES["high"]
                r["manim MP4 high"] = run_child({"kind": "manim", "item": item, "fmt": "mp4",
                                                 "width": hq.width, "height": hq.height,
                                                 "fps": hq.fps, "media": str(d / "m_mp4h")})
                print(fmt_row(item, "manim MP4 high", r["manim MP4 high"]), flush=True)
            if item == "A1" and args.uhd:
                for name, fmt in (("our GIF 4K (50 fps)", "gif"), ("our MP4 4K", "mp4"),
                                  ("our WebM 4K", "webm")):
                    r[name] = run_child({"kind": "ours", "item": item, "fmt": fmt, "quality": "4k",
                                         "out": str(d / f"ours_4k.{fmt}")})
                    print(fmt_row(item, name, r[name]), flush=True)
            if item == "A1" and not args.quick:
                for name in ("manim MP4 cache cold", "manim MP4 cache warm"):
                    r[name] = run_child({"kind": "manim", "item": item, "fmt": "mp4",
                                         "width": low.width, "height": low.height,
                                         "fps": low.fps, "media": str(d / "m_cache"),
                                         "cache": True})
                    print(fmt_row(item, name, r[name]), flush=True)
            results[item] = r
            print_ratios(item, r)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print_targets(results)
    gif_size_section("all", args.keep)
    return 0


def ok(r: dict[str, Any], *keys: str) -> bool:
    return "error" not in r and all(isinstance(r.get(k), int | float) for k in keys)


def print_ratios(item: str, r: dict[str, dict[str, Any]]) -> None:
    parts = []
    og, mg, om, mm = (r.get(k, {}) for k in ("our GIF", "manim GIF", "our MP4 low",
                                              "manim MP4 low"))
    if ok(og, "bytes") and ok(mg, "bytes"):
        parts.append(f"manim GIF / our GIF: {mg['bytes'] / og['bytes']:.1f}x bytes, "
                     f"{mg['render_s'] / og['render_s']:.2f}x time, "
                     f"{mg['peak_mb'] / og['peak_mb']:.1f}x memory")
    if ok(og, "render_s") and ok(mm, "render_s"):
        parts.append(f"our GIF - manim MP4: {og['render_s'] - mm['render_s']:+.2f} s")
    if ok(om, "render_s") and ok(mm, "render_s"):
        parts.append(f"our MP4 / manim MP4: {om['render_s'] / mm['render_s']:.2f}x time, "
                     f"{om['bytes'] / mm['bytes']:.2f}x bytes")
    if parts:
        print(f"{item:6s}   ratios: " + "; ".join(parts))


def print_targets(results: dict[str, dict[str, dict[str, Any]]]) -> None:
    print("\nTargets (issue 8; explain: issue 12)")
    a1 = results.get("A1")
    rows: list[tuple[str, bool | None, str]] = []
    if a1 is None:
        rows.append(("default A1 targets", None, "A1 not rendered"))
    else:
        og, mg, mm = a1.get("our GIF", {}), a1.get("manim GIF", {}), a1.get("manim MP4 low", {})
        if ok(og, "bytes"):
            kb = og["bytes"] / KB
            rows.append(("A1 GIF <= 400 KB", kb <= 400, f"{kb:.0f} KB"))
        if ok(og, "psnr"):
            rows.append(("A1 GIF >= 50 dB PSNR", og["psnr"] >= 50, f"{og['psnr']:.1f} dB"))
        if ok(og, "bytes") and ok(mg, "bytes"):
            x = mg["bytes"] / og["bytes"]
            rows.append(("A1 GIF >= 5x smaller than manim's", x >= 5, f"{x:.1f}x"))
        if ok(og, "render_s") and ok(mm, "render_s"):
            extra = og["render_s"] - mm["render_s"]
            rows.append(("A1 our GIF <= manim MP4 + 1.5 s", extra <= 1.5,
                         f"{og['render_s']:.2f} s vs {mm['render_s']:.2f} s ({extra:+.2f} s)"))
        if ok(og, "render_s"):
            rows.append(("A1 renders in <= 5 s (low)", og["render_s"] <= 5,
                         f"{og['render_s']:.2f} s render, {og['process_s']:.2f} s with imports,"
                         f" {og['cpu_s']:.2f} s CPU"))
    a25 = results.get("A1-25", {}).get("our GIF", {})
    if a1 is not None and ok(a25, "render_s") and ok(a1.get("our GIF", {}), "render_s"):
        og = a1["our GIF"]
        x = a25["render_s"] / og["render_s"]
        xc = a25["cpu_s"] / og["cpu_s"]
        rows.append(("25-step A1 <= 2.5x 9-step", x <= 2.5,
                     f"{x:.2f}x wall, {xc:.2f}x CPU"))
    ex = results.get("explain", {}).get("explain", {})
    if ok(ex, "process_s", "peak_mb"):
        rows.append((f"explain 70/30 < {EXPLAIN_TARGET_S:g} s, < {EXPLAIN_TARGET_MB:g} MB",
                     ex["process_s"] < EXPLAIN_TARGET_S and ex["peak_mb"] < EXPLAIN_TARGET_MB,
                     f"{ex['process_s']:.2f} s wall, {ex['cpu_s']:.2f} s CPU, "
                     f"{ex['peak_mb']:.0f} MB"))
    peaks = [(f"{item} {name}", r["peak_mb"]) for item, rs in results.items()
             for name, r in rs.items() if name.startswith("our") and ok(r, "peak_mb")]
    if peaks:
        name, peak = max(peaks, key=lambda p: p[1])
        rows.append(("peak memory <= 1 GB (ours)", peak <= 1000, f"max {peak:.0f} MB ({name})"))
    for label, passed, detail in rows:
        verdict = "n/a " if passed is None else ("PASS" if passed else "MISS")
        print(f"  {verdict}  {label:36s} {detail}")


# --- animated WebP vs our GIF (issue 16) ---------------------------------------------------------

#: The WebP settings measured (Pillow's ``save`` options): lossless at the fastest and the default
#: effort, and high-quality lossy (which must keep PSNR >= 50 dB to count). Lossless at method 6,
#: quality 100 was measured once on A1 (320 KB, 1.41x the GIF, at 58x its encode time) and is
#: left out: far past the 2x time budget.
WEBP_SETTINGS: dict[str, dict[str, Any]] = {
    "lossless m0 q0": {"lossless": True, "method": 0, "quality": 0},
    "lossless m4 q80 (default)": {"lossless": True, "method": 4, "quality": 80},
    "lossy q95 m4": {"lossless": False, "method": 4, "quality": 95},
    "lossy q100 m6": {"lossless": False, "method": 6, "quality": 100},
    "mixed q100 m4": {"lossless": False, "allow_mixed": True, "method": 4, "quality": 100},
}
WEBP_ITEMS = ("A1", "A2", "A3")


def displayed_psnr(path: Path, frames: list[tuple[Any, int]], fps: float) -> float:
    """PSNR (dB) of an animation file as displayed against ``frames`` (``(rgb, repeat)``, the
    lossless frames): at the middle of every frame period, the file's frame on screen (Pillow
    composites GIF and WebP frames) against the reference frame of that period."""
    import numpy as np
    from PIL import Image

    sq, n = 0.0, 0
    with Image.open(path) as im:
        im.seek(0)
        im.load()  # Pillow's WebP reader sets a frame's duration when it loads it
        index, end_ms = 0, im.info.get("duration", 0)
        shown = np.asarray(im.convert("RGB"), dtype=np.int32)
        k = 0
        for ref, repeat in frames:
            ref32 = ref.astype(np.int32)
            for _ in range(repeat):
                t_ms = (k + 0.5) * 1000 / fps
                while t_ms >= end_ms and index + 1 < im.n_frames:
                    index += 1
                    im.seek(index)
                    im.load()
                    end_ms += im.info.get("duration", 0)
                    shown = np.asarray(im.convert("RGB"), dtype=np.int32)
                sq += float(np.mean((ref32 - shown) ** 2))
                n, k = n + 1, k + 1
    mse = sq / max(n, 1)
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def child_webp(job: dict[str, Any]) -> dict[str, Any]:
    """Render the item once, keeping its distinct frames (RGB) with their repeats; then encode
    our GIF (its writer, unthreaded) and each WebP setting from the same frames, timing the
    encoders alone (CPU seconds: steadier than wall time on a shared machine; both encoders
    run on this one thread), and measure each file's PSNR against those lossless frames."""
    import numpy as np
    from PIL import Image

    from scenes.pipeline.frames import render_to_sink
    from scenes.pipeline.gifout import GifWriter
    from scenes.pipeline.writers import theme_colors

    make = make_scene_factory(job["item"])
    w, h, fps, d = job["width"], job["height"], job["fps"], Path(job["dir"])
    frames: list[list[Any]] = []
    keep: list[list[str]] = []

    def make_scene() -> Any:
        scene = make()
        keep.append(theme_colors(getattr(scene, "theme", None)))
        return scene

    def write(pixels: Any, repeat: int) -> None:
        rgb = np.asarray(pixels)[..., :3]
        if frames and np.array_equal(frames[-1][0], rgb):
            frames[-1][1] += repeat
        else:
            frames.append([rgb.copy(), repeat])

    render_to_sink(make_scene, write, width=w, height=h, fps=fps)
    pairs = [(f, r) for f, r in frames]
    out: dict[str, Any] = {"frames": sum(r for _, r in pairs), "distinct": len(pairs)}
    t = time.process_time()
    gif = GifWriter(d / "ours.gif", w, h, fps, keep_colors=keep[0], dither="none")
    for rgb, repeat in pairs:
        gif.write_frame(np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)]), repeat)
    gif.close()
    out["GIF (ours)"] = {"encode_s": time.process_time() - t,
                         "bytes": (d / "ours.gif").stat().st_size,
                         "psnr": displayed_psnr(d / "ours.gif", pairs, fps)}
    for name, options in WEBP_SETTINGS.items():
        path = d / f"{name.split()[0]}_{len(out)}.webp"
        t = time.process_time()
        images = [Image.fromarray(rgb) for rgb, _ in pairs]
        durations = [round(repeat * 1000 / fps) for _, repeat in pairs]
        images[0].save(path, format="WEBP", save_all=True, append_images=images[1:],
                       duration=durations, loop=0, **options)
        out[name] = {"encode_s": time.process_time() - t, "bytes": path.stat().st_size,
                     "psnr": displayed_psnr(path, pairs, fps)}
    return out


def webp_main(args: Any) -> int:
    """``bench.py --webp``: the WebP table (bytes, PSNR vs the lossless frames, encode time) and
    which settings beat our GIF (fewer bytes at <= 2x its encode time, PSNR >= 50 dB)."""
    from scenes.pipeline.options import output_geometry

    items = [s.strip() for s in args.only.split(",")] if args.only else list(WEBP_ITEMS)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="convanim-webp-"))
    gw, gh, gfps = output_geometry("gif", "low")
    print(f"animated WebP vs our GIF — {gw}x{gh} @ {gfps:g} fps, Pillow's encoder; encode = "
          "CPU seconds to encode the same frames (render excluded); PSNR vs the lossless frames")
    print(f"{'item':6s} {'file':28s} {'KB':>7s} {'x GIF':>6s} {'encode s':>9s} {'x GIF':>6s} "
          f"{'PSNR dB':>8s}  verdict")
    try:
        for item in items:
            d = work / f"webp_{item}"
            d.mkdir(parents=True, exist_ok=True)
            r = run_child({"kind": "webp", "item": item, "width": gw, "height": gh,
                           "fps": gfps, "dir": str(d)})
            if "error" in r:
                print(f"{item:6s} FAILED: {r['error'][:80]}")
                continue
            gif = r["GIF (ours)"]
            for name in ("GIF (ours)", *WEBP_SETTINGS):
                e = r[name]
                xb, xt = e["bytes"] / gif["bytes"], e["encode_s"] / gif["encode_s"]
                wins = xb < 1 and xt <= 2 and e["psnr"] >= 50
                verdict = "-" if name == "GIF (ours)" else ("BEATS GIF" if wins else "no")
                print(f"{item:6s} {name:28s} {e['bytes'] / KB:7.0f} {xb:6.2f} "
                      f"{e['encode_s']:9.2f} {xt:6.2f} {e['psnr']:8.1f}  {verdict}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


# --- default GIF sizes (issue 14: every scene's default GIF at --quality low <= 500 KB) --------

GIF_LIMIT_KB = 500


def default_gif_size(name: str, out: Path) -> tuple[int | None, str]:
    """``convanim render NAME --quality low`` (the scene's default GIF, as a user gets it) into
    ``out``: ``(bytes, "")``, or ``(None, the error line)``."""
    exe = Path(sys.executable).with_name("convanim")
    cmd = [str(exe), "render", name, "--quality", "low", "-o", str(out), "--no-cache"]
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if p.returncode != 0 or not out.exists():
        lines = (p.stderr or p.stdout).strip().splitlines()
        return None, lines[-1] if lines else f"exit {p.returncode}"
    return out.stat().st_size, ""


def gif_size_section(which: str, keep: str | None) -> int:
    """Render the default GIF of each scene named in ``which`` (``all``: the catalog) and print
    its size with PASS/FAIL against :data:`GIF_LIMIT_KB`; returns 1 if any failed."""
    from scenes.catalog import SCENES

    names = list(SCENES) if which == "all" else [n.strip() for n in which.split(",")]
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="convanim-gifs-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"\ndefault GIFs (convanim render SCENE --quality low), limit {GIF_LIMIT_KB} KB:")
    failed = 0
    try:
        for name in names:
            t0 = time.perf_counter()
            size, err = default_gif_size(name, work / f"{name}.gif")
            secs = time.perf_counter() - t0
            if size is None:
                failed += 1
                print(f"  FAIL  {name:18s} {'error':>9s}  {err[:90]}", flush=True)
                continue
            kb = size / KB
            verdict = "PASS" if kb <= GIF_LIMIT_KB else "FAIL"
            failed += verdict == "FAIL"
            print(f"  {verdict}  {name:18s} {kb:7.1f} KB  ({secs:.0f} s)", flush=True)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
