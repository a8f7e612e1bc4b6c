#!/usr/bin/env python
"""CPU cost of the renders against their floor, and how it grows (issue 20); ``make bench`` runs
``--quick`` (the floor, the growth and the 41×41) after ``scripts/bench.py``'s size/speed table.

Every measurement is CPU seconds (user + sys) of a fresh subprocess and everything it starts,
read with ``resource.getrusage(RUSAGE_CHILDREN)`` around it (wall time is noisy on a shared
machine); ``--repeat`` runs (default 3 for the cheap cases) give the median. The floor and
growth ratios come from paired rounds: the default A1, the floor and sliding 20×20 one after
the other, ``--repeat`` rounds, medians of each (a busy moment weighs on all three alike).

* **floor**: the default A1 GIF (``convanim``'s own render, imports included) vs
  ``scripts/floor.py`` drawing as many frames as the real GIF stores (each one different, as
  the real ones are) with bare pycairo through the same GIF encoder. Target: ratio <= 2.
* **growth**: sliding 20×20 (stride 1, padding 1: 400 steps) vs the default 5×5. Target <= 1.5;
  41×41 under 45 s CPU.
* **draws**: per case the GIF frames stored (``gif fr``), the animated frames manim drew
  (``drawn``) and the still frames of its waits (``stills``: a scene of cuts, like the
  equation, has only those), the mobjects drawn per animated frame (``Camera.capture_mobjects``
  instrumented inside ``CairoRenderer.render``), and per scene the CPU of two sizes and the
  cost per step / row / node / stamp between them.

Usage::

    .venv/bin/python scripts/perfbench.py [--cases A,B] [--repeat 3] [--quick] [--compare]
        [--no-draws] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: name -> (catalog scene, ConvSpec keyword arguments or None for the defaults[, scene keyword
#: arguments]). The defaults of every scene, and one large case each (issue 20's frame checks).
CASES: dict[str, tuple[Any, ...]] = {
    "sliding": ("sliding", None),
    "sliding-20": ("sliding", {"input_shape": (20, 20), "kernel_shape": 3, "stride": 1,
                               "padding": 1}),
    "sliding-41": ("sliding", {"input_shape": (41, 41), "kernel_shape": 3, "stride": 1,
                               "padding": 1}),
    # README's second example: convanim render sliding --input 3 --transposed --stride 2
    # --padding 1 --theme dark --lang es
    "sliding-readme-es": ("sliding", {"input_shape": (3, 3), "kernel_shape": 3, "stride": 2,
                                      "padding": 1, "transposed": True},
                          {"theme": "dark", "lang": "es"}),
    "matrix": ("matrix", None),
    "matrix-12": ("matrix", {"input_shape": (12,), "kernel_shape": 3}),
    "connectivity": ("connectivity", None),
    "connectivity-15": ("connectivity", {"input_shape": (15,), "kernel_shape": 3, "stride": 2,
                                         "padding": 1}),
    "superposition": ("superposition", None),
    "superposition-4": ("superposition", {"input_shape": (4, 4), "kernel_shape": 3,
                                          "stride": 2, "transposed": True}),
    "flip": ("flip", None),
    "flip-12": ("flip", {"input_shape": (12,), "kernel_shape": 3}),
    "equation": ("equation", None),
    "equation-9": ("equation", {"input_shape": (9, 9), "kernel_shape": 3, "stride": 2,
                                "padding": 1}),
    "deconv": ("deconv", None),
    "deconv-10": ("deconv", {"input_shape": (10,), "kernel_shape": 3, "padding": 1}),
    "receptive": ("receptive", None),
    "receptive-31": ("receptive", {"input_shape": (31,), "kernel_shape": 3, "stride": 2}),
    "receptive_compare": ("receptive_compare", None),
    "channels": ("channels", None),
    "channels-6": ("channels", {"input_shape": (6, 6), "kernel_shape": 3, "in_channels": 4,
                                "out_channels": 3}),
    "groups": ("groups", None),
    "groups-8": ("groups", {"input_shape": (8, 8), "kernel_shape": 3, "padding": 1,
                            "in_channels": 8, "out_channels": 8, "groups": 4}),
    "features": ("features", None),
    "sizes": ("sizes", None),
    "sizes-20": ("sizes", {"input_shape": (20,), "kernel_shape": 3, "stride": 2,
                           "padding": 1}),
    "paddings": ("paddings", None),
    "sizes_transposed": ("sizes_transposed", None),
}
#: Pairs measured for a cost per unit: (small, large, unit, count of units in small, in large).
SLOPES = (
    ("sliding", "sliding-20", "step", 9, 400),
    ("matrix", "matrix-12", "row", 4, 10),
    ("connectivity", "connectivity-15", "node", 3 + 5, 8 + 15),
    ("superposition", "superposition-4", "stamp", 4, 16),
    ("flip", "flip-12", "step", 4, 10),
    ("equation", "equation-9", "grid cell", 7 * 7, 11 * 11),
    ("deconv", "deconv-10", "input cell", 6, 10),
    ("receptive", "receptive-31", "input cell", 19, 31),
    ("channels", "channels-6", "step", 2 * 2 * 2, 4 * 4 * 3),
    ("groups", "groups-8", "input channel", 4, 8),
    ("sizes", "sizes-20", "input cell", 6, 20),
)
QUICK = ("sliding", "sliding-20", "sliding-41")
#: Cases measured ``--repeat`` times (the median kept): the two the floor and growth ratios use
#: and the cheap defaults; the others once.
REPEATED = ("sliding", "sliding-20", "matrix", "connectivity", "superposition")
FLOOR_TARGET, GROWTH_TARGET, BIG_TARGET_S = 2.0, 1.5, 45.0


# --- child side ----------------------------------------------------------------------------------


def _count_draws() -> dict[str, int]:
    """Patch manim so every mobject drawn inside an animated frame's render is counted, and
    the animated frames (``drawn``), the still frames of waits (``stills``) and the plays."""
    from manim.camera.camera import Camera
    from manim.renderer.cairo_renderer import CairoRenderer

    counts = {"drawn": 0, "stills": 0, "draws": 0, "plays": 0}
    inside = [False]
    capture, render, play = Camera.capture_mobjects, CairoRenderer.render, CairoRenderer.play
    freeze = CairoRenderer.freeze_current_frame

    def freeze_(self: Any, *a: Any, **kw: Any) -> None:
        counts["stills"] += 1
        return freeze(self, *a, **kw)

    def capture_mobjects(self: Any, mobjects: Any, **kw: Any) -> None:
        if inside[0]:
            counts["draws"] += len(self.get_mobjects_to_display(mobjects, **kw))
        return capture(self, mobjects, **kw)

    def render_(self: Any, *a: Any, **kw: Any) -> None:
        inside[0] = True
        counts["drawn"] += 1
        try:
            return render(self, *a, **kw)
        finally:
            inside[0] = False

    def play_(self: Any, *a: Any, **kw: Any) -> None:
        counts["plays"] += 1
        return play(self, *a, **kw)

    Camera.capture_mobjects, CairoRenderer.render = capture_mobjects, render_
    CairoRenderer.play, CairoRenderer.freeze_current_frame = play_, freeze_
    return counts


def make_scene(case: str, plain: bool = False) -> Any:
    """The scene of ``case`` as the CLI builds it (catalog class, its inputs); ``plain`` draws
    through manim's own camera and split (what the kit's static layers replace)."""
    from convmath import ConvSpec
    from scenes.catalog import load_scene_class, scene_entry
    from scenes.inputs import ConvInputs

    scene, spec_kw, *more = CASES[case]
    cls = load_scene_class(scene)
    extra: dict[str, Any] = dict(more[0]) if more else {}
    if plain:
        from manim import Camera

        extra["camera_class"] = Camera
    if spec_kw is None:  # the catalog's defaults, as `convanim render NAME` draws them
        return cls(**extra)
    inputs = ConvInputs.make(ConvSpec(**spec_kw), defaults=scene_entry(scene).defaults)
    return cls(inputs=inputs, **extra)


def child(job: dict[str, Any]) -> dict[str, Any]:
    """Render one case to a GIF at quality low (the CLI's path: catalog class, its inputs)."""
    counts = _count_draws() if job.get("count") else None
    from scenes.pipeline.frames import render_to_file

    info = render_to_file(lambda: make_scene(job["case"], bool(job.get("plain"))),
                          Path(job["out"]), fmt="gif", quality="low")
    out = {"frames": info.frames, "bytes": info.bytes}
    if counts is not None:
        out.update(counts, per_frame=(counts["draws"] / counts["drawn"] if counts["drawn"]
                                      else float("nan")))
    return out


# --- parent side ---------------------------------------------------------------------------------


def cpu_of(cmd: list[str]) -> tuple[float, str]:
    """CPU seconds (user + sys) of ``cmd`` and its children; its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode:
        raise RuntimeError((p.stderr.strip().splitlines() or ["?"])[-1])
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), p.stdout


def run_case(case: str, out: Path, *, count: bool = False, plain: bool = False
             ) -> tuple[float, dict[str, Any]]:
    job = json.dumps({"case": case, "out": str(out), "count": count, "plain": plain})
    cpu, stdout = cpu_of([sys.executable, str(Path(__file__).resolve()), "--child", job])
    line = next(s for s in stdout.splitlines()[::-1] if s.startswith("PERF-RESULT "))
    return cpu, json.loads(line.removeprefix("PERF-RESULT "))


def median_cpu(case: str, work: Path, repeat: int, plain: bool = False
               ) -> tuple[float, dict[str, Any]]:
    runs = [run_case(case, work / f"{case}.gif", plain=plain) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), runs[0][1]


def floor_cpu(frames: int, work: Path) -> float:
    cmd = [sys.executable, str(ROOT / "scripts" / "floor.py"), str(work / "floor.gif"),
           "--frames", str(frames)]
    return cpu_of(cmd)[0]


def paired(work: Path, repeat: int) -> dict[str, list[float]]:
    """The default A1, the floor and sliding 20×20, measured in turn ``repeat`` times (each
    round under the same load, so a busy moment of the shared machine weighs on all three)."""
    runs: dict[str, list[float]] = {"sliding": [], "floor": [], "sliding-20": []}
    for _ in range(repeat):
        cpu, info = run_case("sliding", work / "sliding.gif")
        runs["sliding"].append(cpu)
        runs["floor"].append(floor_cpu(int(info["frames"]), work))
        runs["sliding-20"].append(run_case("sliding-20", work / "sliding-20.gif")[0])
    return runs


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def ratios(work: Path, repeat: int, big: float | None) -> None:
    """Print the floor and growth ratios (medians of the paired rounds) and the 41×41 check."""
    runs = paired(work, repeat)
    a1, fl, s20 = (statistics.median(runs[k]) for k in ("sliding", "floor", "sliding-20"))
    spread = [f"{a / f:.2f}" for a, f in zip(runs["sliding"], runs["floor"])]
    ratio, growth = a1 / fl, s20 / a1
    print(f"  {verdict(ratio <= FLOOR_TARGET)}  floor: default A1 {a1:.2f} s CPU / pycairo "
          f"floor {fl:.2f} s = {ratio:.2f}x (target <= {FLOOR_TARGET:g}x; median of {repeat} "
          f"paired rounds, each {', '.join(spread)})")
    print(f"  {verdict(growth <= GROWTH_TARGET)}  growth: sliding 20x20 {s20:.2f} s / 5x5 "
          f"{a1:.2f} s = {growth:.2f}x (target <= {GROWTH_TARGET:g}x; each round "
          + ", ".join(f"{b / a:.2f}" for a, b in zip(runs["sliding"], runs["sliding-20"])) + ")")
    if big is not None:
        print(f"  {verdict(big < BIG_TARGET_S)}  sliding 41x41: {big:.1f} s CPU "
              f"(target < {BIG_TARGET_S:g} s)")


def report(cases: list[str], repeat: int, work: Path, compare: bool = False,
           draws: bool = True) -> dict[str, Any]:
    """Measure ``cases`` and print the draws and per-unit tables, then the floor and growth
    ratios; ``compare`` also renders each case through manim's own camera (the kit's static
    layers off); ``draws`` counts the mobjects drawn per frame (one more render per case)."""
    cpu: dict[str, float] = {}
    plain: dict[str, float] = {}
    info: dict[str, dict[str, Any]] = {}
    print(f"{'case':18s} {'cpu s':>7s} {'gif fr':>6s} {'drawn':>5s} {'stills':>6s} "
          f"{'draws/frame':>11s} {'plays':>5s}"
          + (f" {'manim cam s':>11s} {'draws':>6s}" if compare else ""))
    for case in cases:
        reps = repeat if case in REPEATED else 1
        try:
            cpu[case], info[case] = median_cpu(case, work, reps)
            counted = (run_case(case, work / f"{case}_count.gif", count=True)[1] if draws
                       else {"per_frame": float("nan"), "plays": 0, "drawn": 0, "stills": 0})
        except (RuntimeError, StopIteration) as exc:
            print(f"{case:18s} FAILED: {str(exc)[:80]}")
            continue
        info[case].update({k: v for k, v in counted.items() if k != "frames"})
        tail = ""
        if compare:
            plain[case] = median_cpu(case, work, reps, plain=True)[0]
            pc = (run_case(case, work / f"{case}_pcount.gif", count=True, plain=True)[1]
                  if draws else {"per_frame": float("nan")})
            info[case]["plain_per_frame"] = pc["per_frame"]
            tail = f" {plain[case]:11.2f} {pc['per_frame']:6.1f}"
        print(f"{case:18s} {cpu[case]:7.2f} {info[case]['frames']:6d} {counted['drawn']:5d} "
              f"{counted['stills']:6d} {counted['per_frame']:11.1f} {counted['plays']:5d}{tail}",
              flush=True)
    for small, large, unit, n_small, n_large in SLOPES:
        if small in cpu and large in cpu:
            per = (cpu[large] - cpu[small]) / (n_large - n_small)
            was = ""
            if small in plain and large in plain:
                was = (f", {1000 * (plain[large] - plain[small]) / (n_large - n_small):.0f} ms"
                       " with manim's camera")
            print(f"  {small}: {1000 * per:.0f} ms CPU per {unit} ({small} -> {large}){was}")
    print()
    if "sliding" in cpu and "sliding-20" in cpu:
        ratios(work, repeat, cpu.get("sliding-41"))
    return {"cpu": cpu, "plain": plain, "info": info}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--cases", help="comma-separated: " + ", ".join(CASES))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="only " + ", ".join(QUICK))
    ap.add_argument("--json", type=Path, help="also write the numbers to this file")
    ap.add_argument("--no-draws", action="store_true",
                    help="skip counting the mobjects drawn per frame (one render less per case)")
    ap.add_argument("--compare", action="store_true",
                    help="also render each case with manim's own camera (static layers off)")
    args = ap.parse_args(argv)
    if args.child:
        print("PERF-RESULT " + json.dumps(child(json.loads(args.child))))
        return 0
    cases = (args.cases.split(",") if args.cases else list(QUICK if args.quick else CASES))
    with tempfile.TemporaryDirectory(prefix="convanim-perf-") as tmp:
        numbers = report(cases, args.repeat, Path(tmp), compare=args.compare,
                         draws=not args.no_draws)
    if args.json:
        args.json.write_text(json.dumps(numbers, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
