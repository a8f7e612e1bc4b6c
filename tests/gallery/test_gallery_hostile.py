"""Hostile gallery files (issue 19 #2, #3, #14, #17; issue 12 #6): injected markup, files outside
the gallery's folder, killed workers, and one validator shared with the CLI. Fake encoder."""

from __future__ import annotations

import html
import os
import re
import signal
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

import scenes.pipeline.run as pipeline_run
from cli import cli
from scenes.gallery import EntryResult, GalleryFileError, load_gallery, run_gallery, write_index

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "line one\n# injected heading\n- injected item",
    "[click](javascript:alert(1))",
    "**bold** _it_ `code` | table |",
    "&lt;already escaped&gt; & <b>",
]


def _write(tmp_path: Path, body: str, name: str = "g.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


# --- #2 index.md and index.html never carry markup from the gallery file -------------------------


@pytest.mark.parametrize("evil", HOSTILE)
def test_titles_captions_and_labels_are_escaped(tmp_path: Path, evil: str) -> None:
    np_file = tmp_path / "v.csv"
    np_file.write_text("1,2,3\n")
    body = (f"title = {_toml_str(evil)}\n[[entry]]\nname = 'a'\nscene = 'sliding'\n"
            f"caption = {_toml_str(evil)}\ndims = 1\nvalues = 'v.csv'\n")
    title, entries = load_gallery(_write(tmp_path, body))
    results = [EntryResult(entries[0], path=tmp_path / "a.gif", bytes=10, frames=2,
                           duration=1.0, width=64, height=36),
               EntryResult(entries[0], error=evil)]
    html_path, md_path = write_index(results, tmp_path, title=title)
    md, page = md_path.read_text(), html_path.read_text()
    for text in (md, page.split("<body>")[1].split("<script>")[0]):  # (the page's own script)
        for tag in ("<img src=x", "<script", "<b>"):
            assert tag not in text
    # Markdown: every field stays on its own line; nothing starts a heading or list it should not.
    lines = md.splitlines()
    assert not any(line.startswith("# injected") or line.startswith("- injected")
                   for line in lines)
    assert sum(1 for line in lines if line.startswith("# ")) == 1
    body = md.split("---\n", 2)[2]  # the page, after the front matter
    assert not re.search(r"(?<!\\)\]\(javascript:", body)  # brackets escaped: no link
    # The front matter title is one valid YAML (JSON) string.
    assert re.match(r'---\ntitle: ".*"\n---\n', md)
    # HTML: the escaped text is there (not dropped).
    assert html.escape(" ".join(evil.split()), quote=False) in html.unescape(page) or \
        " ".join(evil.split()) in html.unescape(page)


@pytest.mark.parametrize("name", ["my post/a b.gif", "ñandú (1).gif", "x]y.gif"])
def test_snippet_link_targets_are_percent_encoded(name: str) -> None:
    from scenes.pipeline.snippets import html_snippet, markdown_snippet

    md = markdown_snippet(name, "alt [x]", "gif")
    target = md[md.index("](") + 2: -1]
    assert " " not in target and "(" not in target and ")" not in target and "]" not in target
    assert all(ord(c) < 128 for c in target)
    from urllib.parse import unquote

    assert unquote(target) == name
    tag = html_snippet(name, 'say "hi" <b>', "gif", 10, 5)
    assert '"hi"' not in tag and "<b>" not in tag
    assert unquote(html.unescape(re.search(r'src="([^"]*)"', tag)[1])) == name


def test_link_prefix_goes_before_the_file_names(tmp_path: Path) -> None:
    _, entries = load_gallery(_write(tmp_path, "[[entry]]\nname = 'a'\nscene = 'sliding'\n"))
    res = [EntryResult(entries[0], path=tmp_path / "a.gif", bytes=1, frames=2, duration=1.0,
                       width=64, height=36)]
    _, md_path = write_index(res, tmp_path, link_prefix="/assets/conv/")
    md = md_path.read_text()
    assert "](/assets/conv/a.gif)" in md and '<img src="/assets/conv/a.gif"' in md


# --- #3 files resolve relative to the gallery file; outside needs an option; no echo -------------


def test_value_files_resolve_relative_to_the_gallery_file(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "post"
    folder.mkdir()
    (folder / "x.csv").write_text("1,2,3\n")
    path = _write(folder, "[[entry]]\nname = 'a'\nscene = 'sliding'\ndims = 1\n"
                          "values = 'x.csv'\n")
    monkeypatch.chdir(tmp_path)  # not the gallery's folder
    _, (entry,) = load_gallery(path)
    assert entry.x.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("where", ["../secret.csv", "ABS"])
def test_files_outside_the_gallery_folder_need_an_option_and_are_never_echoed(
    tmp_path: Path, where: str
) -> None:
    folder = tmp_path / "post"
    folder.mkdir()
    secret = tmp_path / "secret.csv"
    secret.write_text("TOPSECRET-TOKEN-123,1\n")
    ref = str(secret) if where == "ABS" else where
    path = _write(folder, f"[[entry]]\nname = 'a'\nscene = 'sliding'\nvalues = '{ref}'\n")
    with pytest.raises(GalleryFileError, match="is outside the gallery file's folder") as exc:
        load_gallery(path)
    assert "TOPSECRET" not in str(exc.value)
    with pytest.raises(GalleryFileError) as exc:
        load_gallery(path, allow_outside=True)  # read now, but not numbers: no echo either
    assert "could not be read as numbers" in str(exc.value)
    assert "TOPSECRET" not in str(exc.value)
    result = CliRunner().invoke(cli, ["gallery", str(path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "TOPSECRET" not in result.output
    assert "--allow-outside" in result.stderr


# --- #17 one validator: the CLI's rules, at load time, messages naming the real cause -----------

ENTRY = "[[entry]]\nname = 'a'\nscene = 'sliding'\n"
VALIDATOR = [
    (ENTRY + "fps = inf", "{f}: entry 1 ('a'): fps=inf is invalid: fps must be a number in "
     "1..50 for a GIF"),
    (ENTRY + "width = 0", "{f}: entry 1 ('a'): width=0 is invalid: width must be an integer in "
     "64..7680"),
    (ENTRY + "step-time = inf", "{f}: entry 1 ('a'): step-time=inf is invalid: it must be a "
     "number of seconds in 0.05..10"),
    (ENTRY + "fps = nan", "{f}: entry 1 ('a'): fps=nan is invalid: fps must be a number in "
     "1..50 for a GIF"),
    (ENTRY + "padding = [[1.5, 2]]", "{f}: entry 1: key 'padding': [[1.5, 2]] is not allowed: a "
     "padding is an integer >= 0 like 1, one per axis like 1x2, before:after per axis like "
     "1:2,0:1, or one of valid, same, full"),
    (ENTRY + "stride = 2.0", "{f}: entry 1: key 'stride': 2.0 is not allowed: a stride is an "
     "integer >= 1 like 2, or one per axis like 2x1"),
    (ENTRY + "stride = 100000000000000000000", "{f}: entry 1: key 'stride': "
     "100000000000000000000 is too large: at most 10000 is allowed"),
    (ENTRY + "stride = 1000000", "{f}: entry 1: key 'stride': 1000000 is too large: at most "
     "10000 is allowed (a stride is an integer >= 1 like 2, or one per axis like 2x1)"),
    (ENTRY + "fps = '12'", "{f}: entry 1: key 'fps': '12' is not allowed: write a number"),
    (ENTRY + "width = 480.0", "{f}: entry 1: key 'width': 480.0 is not allowed: write an "
     "integer (pixels)"),
    ("[entry]\nname = 'a'\nscene = 'sliding'\n", "{f}: 'entry' is a single table: write "
     "[[entry]] (two brackets) before each animation"),
    ("x = " + "[" * 5000 + "]" * 5000, "{f}: not valid TOML"),
    (ENTRY + "dims = true", "{f}: entry 1: key 'dims': True is not allowed: use one of 1, 2"),
]


@pytest.mark.parametrize("body, message", VALIDATOR)
def test_gallery_values_meet_the_cli_validator(tmp_path: Path, body: str, message: str) -> None:
    path = _write(tmp_path, body)
    result = CliRunner().invoke(cli, ["gallery", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    expected = "Error: " + message.format(f=path)
    assert result.stderr.startswith(expected) and result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes("\ufeff".encode() + b"title = 'T'\n" + ENTRY.encode())
    title, (entry,) = load_gallery(path)
    assert title == "T" and entry.name == "a"


@pytest.mark.parametrize("value", ["inf", "0", "1e9"])
def test_the_cli_refuses_the_same_values(value: str) -> None:
    result = CliRunner().invoke(cli, ["render", "sliding", "--fps", value])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: --fps={value} is invalid: fps must be a number in "
                                    "1..50 for a GIF")


# --- #14 a killed worker does not break the pool; each entry's true state -----------------------


def _killer(marker_dir: Path, always: bool):
    def fake(make_scene, path, **kw):
        scene = make_scene()
        name = "k" if scene.args[0].input_shape == (4, 4) else "ok"
        marker = marker_dir / f"{name}.tried"
        if name == "k" and (always or not marker.exists()):
            marker.write_text("x")
            os.kill(os.getpid(), signal.SIGKILL)
        Path(path).write_bytes(b"GIF89a" + bytes(10))
        return SimpleNamespace(frames=3, duration=1.0, width=64, height=36, fps=3.0)

    return fake


class _Scene:
    def __init__(self, *args: object, **kwargs: object) -> None:
        self.args = args


@pytest.mark.parametrize("always", [False, True])
def test_a_worker_killed_with_sigkill_does_not_fail_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, always: bool
) -> None:
    monkeypatch.setattr(pipeline_run, "_backend", lambda: _killer(tmp_path, always))
    monkeypatch.setattr(pipeline_run, "load_scene_class", lambda name: _Scene)
    body = "".join(f"[[entry]]\nname = 'e{i}'\nscene = 'sliding'\ninput = {5 + i}\n"
                   for i in range(4))
    body += "[[entry]]\nname = 'killer'\nscene = 'sliding'\ninput = 4\n"
    _, entries = load_gallery(_write(tmp_path, body))
    results = run_gallery(entries, tmp_path / "out", jobs=2)
    assert [r.entry.name for r in results] == ["e0", "e1", "e2", "e3", "killer"]
    assert all(r.ok for r in results[:4])
    for r in results[:4]:
        assert (tmp_path / "out" / r.entry.filename).is_file()
    if always:
        assert not results[4].ok
        assert results[4].error.startswith("the worker process rendering it died 3 times")
        assert not (tmp_path / "out" / "killer.gif").exists()
    else:
        assert results[4].ok and (tmp_path / "out" / "killer.gif").is_file()


# --- issue 12 #6: Spanish pages and lists --------------------------------------------------------


def test_gallery_page_names_parameters_in_spanish(tmp_path: Path) -> None:
    body = ("[[entry]]\nname = 'a'\nscene = 'sliding'\nstride = 2\npadding = 1\n"
            "transposed = true\nlang = 'es'\n")
    _, entries = load_gallery(_write(tmp_path, body))
    results = [EntryResult(entries[0], error="width=32 is invalid")]
    html_path, md_path = write_index(results, tmp_path, lang="es")
    for text in (html_path.read_text(), md_path.read_text()):
        assert "paso 2, relleno 1, transpuesta sí" in text
        assert "stride" not in text and "padding 1" not in text
        assert "No se pudo generar esta animación. Motivo: width=32 is invalid" in text


def test_list_in_spanish_has_no_english_headers() -> None:
    es = CliRunner().invoke(cli, ["list", "--lang", "es"]).output
    assert es.startswith("Escenas:\n") and "Filtros predefinidos (--weights NOMBRE):" in es
    assert "Scenes:" not in es and "Kernel presets" not in es
