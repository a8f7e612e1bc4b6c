"""Vector stills (issue 16): the preview frame (or ``frame``) as SVG and PDF, drawn by Cairo from
the scene's mobjects. Two cheap real renders (64×36; each stops at its frame); the SVG parsed
as XML, the PDF's structure read with zlib (no PDF library): header, one page, its title, and
the fills of the cells."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from convmath import ConvMathError, ConvSpec
from scenes.alt import alt_text
from scenes.kit.theme import LIGHT
from scenes.pipeline.options import RenderOptions
from scenes.pipeline.request import RenderRequest
from scenes.pipeline.run import render_request
from scenes.pipeline.writers import WRITERS, theme_colors

SPEC = ConvSpec((3, 3), 2)
CELLS = 9 + 4 + 4  # input, kernel, output cells (numpy shapes: 3×3, 2×2, (3−2+1)²)


def _svg_fills(root: ET.Element) -> set[str]:
    """Every fill colour of the SVG's paths as #RRGGBB."""
    out = set()
    for el in root.iter():
        style = el.get("style", "")
        for r, g, b in re.findall(r"fill:rgb\(([\d.]+)%,([\d.]+)%,([\d.]+)%\)", style):
            out.add("#" + "".join(f"{round(float(v) * 2.55):02X}" for v in (r, g, b)))
    return out


@pytest.mark.render
def test_svg_of_the_preview_frame(tmp_path: Path) -> None:
    request = RenderRequest.make("sliding", SPEC, output=tmp_path / "s.svg", width=64, fps=4)
    info = render_request(request)
    assert (info.frames, info.duration, info.mime) == (1, 0.0, "image/svg+xml")
    root = ET.parse(tmp_path / "s.svg").getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and (root.get("width"), root.get("height")) == ("64", "36")
    alt = alt_text("sliding", SPEC, "en")
    assert root.find(f"{ns}title").text == alt and root.get("aria-label") == alt
    paths = root.findall(f".//{ns}path")
    assert len(paths) >= CELLS  # every cell's square, then the numbers' and titles' glyphs
    fills = _svg_fills(root)
    assert LIGHT.background.upper() in fills  # the camera's background, painted first
    assert len(fills & set(theme_colors(LIGHT)) - {LIGHT.background.upper()}) >= 1  # cells


@pytest.mark.render
def test_pdf_of_a_chosen_frame(tmp_path: Path) -> None:
    out = tmp_path / "s.pdf"
    result = CliRunner().invoke(cli, ["render", "sliding", "--input", "3", "--kernel", "2",
                                      "--format", "pdf", "--frame", "6", "--width", "64",
                                      "--fps", "4", "-o", str(out), "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("[El filtro se desliza")  # a link
    data = out.read_bytes()
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1
    title = re.search(rb"/Title\s*(\([^)]*\)|<[0-9A-Fa-f]+>)", data).group(1)
    text = (bytes.fromhex(title[1:-1].decode()).decode("utf-16") if title.startswith(b"<")
            else title[1:-1].decode("latin-1"))
    assert text == alt_text("sliding", SPEC, "es")
    streams = [zlib.decompress(m.group(1)) for m in
               re.finditer(rb"/FlateDecode.*?stream\r?\n(.*?)\r?\nendstream", data, re.S)]
    ops = b"\n".join(streams)
    assert len(re.findall(rb"\bf\*?\b", ops)) >= CELLS  # a fill per cell at least
    assert re.search(rb"\bc\b", ops)  # curves: the glyphs of the numbers and titles


def test_a_frame_is_for_the_vector_stills_only() -> None:
    assert WRITERS["svg"].vector and WRITERS["pdf"].vector and not WRITERS["gif"].vector
    with pytest.raises(ConvMathError, match=r"frame=3 is invalid for the format gif"):
        RenderOptions(fmt="gif", frame=3)
    with pytest.raises(ConvMathError, match=r"frame=-1 is invalid: frame must be an integer"):
        RenderOptions(fmt="svg", frame=-1)
    assert RenderOptions(fmt="svg").record() == RenderOptions(fmt="svg", frame=None).record()
    assert RenderOptions(fmt="svg", frame=2).record()["frame"] == 2
