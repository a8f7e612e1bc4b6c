"""`convanim gallery`: the TOML format and its errors, the presets, parallel renders with the cache
and the failure path, and the index page opened in a real headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from click.testing import CliRunner

import scenes.pipeline.run as scene_render
from cli import cli
from convmath import ConvSpec
from scenes.alt import alt_text
from scenes.catalog import SCENES
from scenes.gallery import EntryResult, load_gallery, preset_path, run_gallery, write_index

ROOT = Path(__file__).resolve().parents[2]
CONVANIM = ROOT / ".venv" / "bin" / "convanim"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _write(tmp_path: Path, body: str, name: str = "g.toml") -> Path:
    path = tmp_path / name
    path.write_text(body)
    return path


# --- the file format -----------------------------------------------------------------------------

GOOD = """
title = "T"
[defaults]
scene = "sliding"
width = 160
[[entry]]
name = "a"
input = "5x5"
stride = 2
padding = 1
[[entry]]
name = "b"
scene = "flip"
dims = 1
values = "2,1,0,1,2"
weights = [1, -1]
flip = true
lang = "es"
format = "mp4"
output_padding = 0
"""


def test_titles_and_captions_by_language(tmp_path: Path) -> None:
    body = ('title = {en = "Strides", es = "Pasos"}\n[defaults]\nscene = "sliding"\n'
            'lang = "es"\n[[entry]]\nname = "a"\ncaption = {en = "Stride 2", es = "Paso 2"}\n'
            '[[entry]]\nname = "b"\ncaption = "Same"\nlang = "en"\n')
    title, (a, b) = load_gallery(_write(tmp_path, body))
    assert (title, a.caption, b.caption) == ("Pasos", "Paso 2", "Same")
    title, (a, b) = load_gallery(_write(tmp_path, body), {"lang": "en"})
    assert (title, a.caption, b.caption) == ("Strides", "Stride 2", "Same")


def test_load_gallery(tmp_path: Path) -> None:
    title, entries = load_gallery(_write(tmp_path, GOOD))
    assert title == "T"
    a, b = entries
    assert (a.name, a.scene, a.spec.input_shape, a.spec.stride, a.spec.output_shape) == (
        "a", "sliding", (5, 5), (2, 2), (3, 3))
    assert a.options.width == 160 and a.filename == "a.gif"
    assert a.params == {"input": "5x5", "stride": "2", "padding": "1"}
    assert (b.scene, b.spec.flip, b.lang, b.filename) == ("flip", True, "es", "b.mp4")
    np.testing.assert_array_equal(b.w, [1, -1])
    # The flip scene's own alt text (issue 16), not the one configuration sentence.
    assert b.alt() == alt_text("flip", b.spec, "es")
    assert b.alt().startswith("Convolución frente a correlación cruzada")
    _, over = load_gallery(_write(tmp_path, GOOD), {"lang": "en", "theme": "dark"})
    assert [e.options.lang for e in over] == ["en", "en"]
    assert [e.options.theme for e in over] == ["dark", "dark"]


GALLERY_ERRORS = [
    ("title = 1\n[[entry]]\nname='a'\nscene='sliding'", "{f}: key 'title': 1 is not allowed: a "
     "title is a string, or a table of strings by language like {{en = \"…\", es = \"…\"}}"),
    ("[[entry]]\nname='a'\nscene='sliding'\ncaption={fr='x'}", "{f}: entry 1: key 'caption': "
     "{{'fr': 'x'}} is not allowed: a caption is a string, or a table of strings by language like "
     "{{en = \"…\", es = \"…\"}}"),
    ("[defaults]\nscene='sliding'", "{f}: no entries: add [[entry]] tables with a name and a "
     "scene"),
    ("colour = 1", "{f}: unknown top-level key 'colour': allowed are title, [defaults] and "
     "[[entry]]"),
    ("[[entry]]\nname = 'a'\nscene = 'sliding'\n[[entry]]\nname = 'b'\nscene = 'sliding'\n"
     "strid = 2", "{f}: entry 2: unknown key 'strid': allowed keys are name, scene, caption, dims, "
     "input, kernel, stride, dilation, padding, transposed, output-padding, flip, values, "
     "weights, mode, theme, lang, quality, format, fps, width, step-time, in-channels, "
     "out-channels, groups, bias, image, image-size, layers"),
    ("[[entry]]\nname = 'a'\nscene = 'sliding'\nstride = 0", "{f}: entry 1: key 'stride': 0 is "
     "not allowed: a stride is an integer >= 1 like 2, or one per axis like 2x1"),
    ("[[entry]]\nname = 'a'\nscene = 'slide'", "{f}: entry 1: key 'scene': 'slide' is not "
     "allowed: use one of sliding, matrix, connectivity, superposition, sizes, flip"
     + "".join(f", {n}" for n in list(SCENES)[6:])),
    ("[[entry]]\nname = 'a b'\nscene = 'sliding'", "{f}: entry 1: key 'name': 'a b' is not "
     "allowed: a name is letters, digits, '_', '-' or '.', used as the file name"),
    ("[[entry]]\nscene = 'sliding'", "{f}: entry 1: key 'name' is missing"),
    ("[[entry]]\nname = 'a'", "{f}: entry 1 ('a'): key 'scene' is missing"),
    ("[defaults]\nscene='sliding'\n[[entry]]\nname = 'a'\n[[entry]]\nname = 'a'",
     "{f}: entry 2 ('a'): name 'a' is used twice"),
    ("[defaults]\nscene='sliding'\nlang='fr'\n[[entry]]\nname = 'a'",
     "{f}: [defaults]: key 'lang': 'fr' is not allowed: use one of en, es"),
    ("[[entry]]\nname = 'a'\nscene = 'sliding'\noutput-padding = 1", "{f}: entry 1 ('a'): "
     "output-padding 1 needs transposed: output padding only exists for transposed "
     "convolutions"),
    ("[[entry]]\nname = 'k'\nscene = 'sliding'\ninput = 3\nkernel = 5", "{f}: entry 1 ('k'): "
     "kernel=5 is invalid with dilation=1: on axis 0 the kernel spans 5 cells, more "
     "than the padded input's 3 (input 3 + padding 0+0); the kernel must fit inside the padded "
     "input"),
    ("[[entry]]\nname = 'a'\nscene = 'sliding'\ntransposed = 'yes'", "{f}: entry 1: key "
     "'transposed': 'yes' is not allowed: write true or false"),
    ("[[entry]\nname = 'a'", "{f}: not valid TOML (Expected ']]' at the end of an array "
     "declaration (at line 1, column 8))"),
]


@pytest.mark.parametrize("body, message", GALLERY_ERRORS)
def test_bad_gallery_file_names_entry_and_key(tmp_path: Path, body: str, message: str) -> None:
    path = _write(tmp_path, body)
    result = CliRunner().invoke(cli, ["gallery", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr == "Error: " + message.format(f=path) + "\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "give either a gallery FILE or --preset NAME (one of them)"),
        (["x.toml", "--preset", "post"], "give either a gallery FILE or --preset NAME (one of "
         "them)"),
        (["missing.toml"], "missing.toml: file not found"),
        (["--preset", "nope"], "Invalid value for '--preset': 'nope' is not one of "
         "'arithmetic', 'post'."),
        (["--preset", "post", "--jobs", "0"], "Invalid value for '--jobs' / '-j': 0 is not in "
         "the range 1<=x<=64."),
    ],
)
def test_bad_gallery_command(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["gallery", *args])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"


# --- presets -------------------------------------------------------------------------------------

# The paper's table (input, kernel, padding, stride, dilation) -> output, from
# shared/reference/README.md; the transposes map each output size back to the input size.
ARITHMETIC = {
    "no_padding_no_strides": (4, 2),
    "arbitrary_padding_no_strides": (5, 6),
    "same_padding_no_strides": (5, 5),
    "full_padding_no_strides": (5, 7),
    "no_padding_strides": (5, 2),
    "padding_strides": (5, 3),
    "padding_strides_odd": (6, 3),
    "dilation": (7, 3),
}


def test_arithmetic_preset_matches_the_paper() -> None:
    _, entries = load_gallery(preset_path("arithmetic"))
    by_name = {e.name: e for e in entries}
    assert len(entries) == 15 and {e.scene for e in entries} == {"sliding"}
    for name, (i, o) in ARITHMETIC.items():
        e = by_name[name]
        assert not e.spec.transposed
        assert (e.spec.input_shape, e.spec.output_shape) == ((i, i), (o, o)), name
        if name != "dilation":
            t = by_name[f"{name}_transposed"]
            assert t.spec.transposed and t.spec.kernel_shape == e.spec.kernel_shape
            assert (t.spec.input_shape, t.spec.output_shape) == ((o, o), (i, i)), name


def test_post_preset_covers_the_post() -> None:
    title, entries = load_gallery(preset_path("post"))
    assert title == "Parámetros de la convolución"
    assert {e.scene for e in entries} == {"sliding", "matrix", "connectivity", "superposition",
                                          "sizes", "flip", "equation", "receptive",
                                          "receptive_compare", "deconv"}
    order = [e.scene for e in entries]  # where the draft places issue 17's sections
    assert order.index("equation") == order.index("sliding") + 1
    assert order.index("connectivity") < order.index("receptive") < order.index("deconv")
    assert order.index("deconv") < min(i for i, e in enumerate(entries) if e.spec.transposed)
    assert {e.lang for e in entries} == {"es"}
    assert any(e.spec.transposed for e in entries if e.scene == "connectivity")
    assert any(e.spec.transposed for e in entries if e.scene == "matrix")


def test_show_prints_the_preset() -> None:
    result = CliRunner().invoke(cli, ["gallery", "--preset", "arithmetic", "--show"])
    assert result.exit_code == 0
    assert result.output == preset_path("arithmetic").read_text().rstrip("\n") + "\n"


# --- run_gallery with a fake encoder (fast) -----------------------------------------------------


class _Scene:
    def __init__(self, *args: object, **kwargs: object) -> None:
        self.spec = args[0]


def _fake(make_scene, path, **kw):
    scene = make_scene()
    if scene.spec.input_shape == (4, 4):  # the entry 'boom'
        raise RuntimeError("encoder exploded")
    Path(path).write_bytes(b"GIF89a" + bytes(10))
    return SimpleNamespace(frames=3, duration=1.0, width=64, height=36, fps=3.0)


def test_run_gallery_isolates_failures_and_reuses_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Worker processes are forked, so they inherit these replacements.
    monkeypatch.setattr(scene_render, "_backend", lambda: _fake)
    monkeypatch.setattr(scene_render, "load_scene_class", lambda name: _Scene)
    body = GOOD + "\n[[entry]]\nname = 'boom'\ninput = 4\n"
    _, entries = load_gallery(_write(tmp_path, body))
    seen: list[str] = []
    results = run_gallery(entries, tmp_path / "out", jobs=2, on_result=lambda r: seen.append(
        r.entry.name))
    assert [r.entry.name for r in results] == ["a", "b", "boom"] and sorted(seen) == sorted(
        ["a", "b", "boom"])
    assert [r.ok for r in results] == [True, True, False]
    assert "rendering sliding failed (RuntimeError: encoder exploded)" in results[2].error
    assert Path(results[2].log_path).is_file()
    Path(results[2].log_path).unlink()
    again = run_gallery(entries[:2], tmp_path / "out", jobs=2)
    assert [r.cached for r in again] == [True, True]
    html_path, md_path = write_index(results, tmp_path / "out", title="T")
    page = html_path.read_text()
    assert page.count("<figure") == 3 and 'class="failed"' in page
    assert "encoder exploded" in page and "encoder exploded" in md_path.read_text()


# --- a small real gallery through the installed command, and the page in Chromium ---------------

SMALL = """
title = "Small gallery"
[defaults]
scene = "sliding"
width = 160
fps = 4
step-time = 0.25
[[entry]]
name = "tiny"
input = 3
kernel = 2
[[entry]]
name = "tiny_es"
dims = 1
input = 4
kernel = 2
stride = 2
lang = "es"
[[entry]]
name = "too_large"
input = 60
"""


def _run_gallery(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CONVANIM), "gallery", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def small_gallery(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    if not CONVANIM.exists():
        pytest.skip(f"{CONVANIM} is not installed (run make setup)")
    pytest.importorskip("scenes.sliding")
    pytest.importorskip("scenes.pipeline.frames")
    tmp = tmp_path_factory.mktemp("gallery")
    (tmp / "small.toml").write_text(SMALL)
    first = _run_gallery(["small.toml", "-o", "out", "--jobs", "2"], tmp)
    second = _run_gallery(["small.toml", "-o", "out", "--jobs", "2"], tmp)
    return tmp / "out", [first, second]


@pytest.mark.render
def test_small_gallery_files_failure_and_cache(small_gallery: tuple[Path, list]) -> None:
    out, (first, second) = small_gallery
    assert first.returncode == 1, first.stderr
    assert "2 of 3 ready (0 from the cache)" in first.stdout
    assert re.search(r"1 failed:\n  too_large: spec is too large for SlidingFilter: with input "
                     r"60×60, .* inputs up to about \d+×\d+ fit .*\n$", first.stderr), first.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "index.html", "index.md", "tiny.gif", "tiny_es.gif"]
    from PIL import Image

    for name in ("tiny.gif", "tiny_es.gif"):
        with Image.open(out / name) as im:
            assert im.width == 160 and im.n_frames > 1
        sidecar = json.loads((out / f".{name}.json").read_text())
        assert sidecar["info"]["bytes"] == (out / name).stat().st_size
    assert second.returncode == 1
    assert "2 of 3 ready (2 from the cache)" in second.stdout
    md = (out / "index.md").read_text()
    assert md.startswith('---\ntitle: "Small gallery"\n---\n')
    size = (out / "tiny.gif").stat().st_size
    assert f"{size:,} bytes" in md
    alt = alt_text("sliding", ConvSpec((3, 3), 2), "en")
    assert alt.endswith("Cross-correlation of a 3×3 input with a 2×2 kernel, stride 1, padding 0 "
                        "→ 2×2 output") and f"![{alt}](tiny.gif)" in md
    assert f"![{alt_text('sliding', ConvSpec((4,), 2, stride=2), 'es')}](tiny_es.gif)" in md
    assert "spec is too large for SlidingFilter" in md


_PROBE = """
<script>
window.addEventListener('load', function () {
  var imgs = Array.prototype.map.call(document.images, function (i) {
    return [i.getAttribute('src'), i.naturalWidth, i.complete];
  });
  var snippets = Array.prototype.map.call(document.querySelectorAll('.snippet code'),
    function (c) { return c.textContent; });
  var probe = document.createElement('pre');
  probe.id = 'probe';
  probe.textContent = JSON.stringify({images: imgs, snippets: snippets});
  document.body.appendChild(probe);
});
</script>
"""


@pytest.mark.render
def test_index_page_in_headless_chromium(small_gallery: tuple[Path, list], tmp_path: Path) -> None:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (make test installs it with "
                    "scripts/setup_system.sh --browser; apt-get install chromium)")
    out, _ = small_gallery
    page = (out / "index.html").read_text()
    probe_page = out / "probe.html"  # beside index.html so relative image paths resolve
    probe_page.write_text(page.replace("</body>", _PROBE + "</body>"))
    try:
        result = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
             "--virtual-time-budget=10000", "--dump-dom", probe_page.as_uri()],
            capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)},
        )
    finally:
        probe_page.unlink()
    m = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.S)
    assert m, result.stderr[-2000:]
    import html

    data = json.loads(html.unescape(m.group(1)))
    assert sorted(src for src, _, _ in data["images"]) == ["tiny.gif", "tiny_es.gif"]
    for src, natural_width, complete in data["images"]:
        assert complete and natural_width == 160, src
    snippets = data["snippets"]
    assert len(snippets) == 4
    assert f"![{alt_text('sliding', ConvSpec((3, 3), 2), 'en')}](tiny.gif)" in snippets
    alt_es = alt_text("sliding", ConvSpec((4,), 2, stride=2), "es")
    assert any(s.startswith(f'<img src="tiny_es.gif" alt="{alt_es}"') for s in snippets)
    assert "too_large" in result.stdout and "too large for SlidingFilter" in result.stdout


def test_failed_results_page(tmp_path: Path) -> None:
    _, entries = load_gallery(_write(tmp_path, GOOD))
    results = [EntryResult(entries[0], error="boom <b>"), EntryResult(entries[1], error="x")]
    html_path, md_path = write_index(results, tmp_path, lang="es")
    page = html_path.read_text()
    assert "boom &lt;b&gt;" in page and "<b>" not in page.split("<body>")[1].split("boom")[1][:10]
    assert "Falló" in page and '<html lang="es">' in page
