"""Vector stills: one frame of a scene as SVG or PDF, drawn by Cairo as manim draws it.

manim's Cairo camera fills and strokes every ``VMobject`` (text included: Pango glyphs are
paths) on a Cairo context over a pixel buffer. :func:`draw_vector` draws the same mobjects, with
the same camera transform and the same ``display_vectorized`` calls, on a ``cairo.SVGSurface``
or ``cairo.PDFSurface`` instead: the picture is the frame's, at any size. Image mobjects (pixel
arrays, as in the feature-map scene) have no vector form and are left out. The alt text becomes
the SVG's ``<title>`` and the PDF's title.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

__all__ = ["draw_vector", "VECTOR_KINDS"]

#: The vector formats Cairo writes here.
VECTOR_KINDS = ("svg", "pdf")
_SVG_NS = "http://www.w3.org/2000/svg"


def draw_vector(scene: Any, path: Path, kind: str, title: str = "") -> int:
    """Draw ``scene``'s mobjects as they are now into ``path`` (``kind`` ``"svg"`` or
    ``"pdf"``, ``camera.pixel_width × pixel_height`` points, the camera's background first);
    return the number of vector mobjects drawn.

    Raises
    ------
    ValueError
        For another ``kind``.
    """
    import cairo
    from manim import ManimColor, VMobject

    if kind not in VECTOR_KINDS:
        raise ValueError(f"kind={kind!r} is invalid: kind must be one of svg, pdf")
    camera = scene.renderer.camera
    pw, ph = int(camera.pixel_width), int(camera.pixel_height)
    fw, fh, fc = camera.frame_width, camera.frame_height, camera.frame_center
    surface = (cairo.SVGSurface if kind == "svg" else cairo.PDFSurface)(str(path), pw, ph)
    if kind == "pdf" and title:
        surface.set_metadata(cairo.PDFMetadata.TITLE, title)
        surface.set_metadata(cairo.PDFMetadata.CREATOR, "convanim")
    ctx = cairo.Context(surface)
    ctx.set_source_rgb(*ManimColor(camera.background_color).to_rgb())  # a str is fine too
    ctx.paint()
    ctx.set_matrix(cairo.Matrix(pw / fw, 0, 0, -(ph / fh), pw / 2 - fc[0] * pw / fw,
                                ph / 2 + fc[1] * ph / fh))
    drawn = 0
    for mob in camera.get_mobjects_to_display(scene.mobjects):
        if isinstance(mob, VMobject) and len(mob.points):
            camera.display_vectorized(mob, ctx)
            drawn += 1
    surface.finish()
    if kind == "svg":
        _svg_finish(path, title, pw, ph)
    return drawn


def _svg_finish(path: Path, title: str, width: int, height: int) -> None:
    """Size the SVG in CSS pixels (Cairo writes points, which browsers show 4/3 larger) and
    put the alt text first as its ``<title>`` (with ``role="img"`` and ``aria-label``)."""
    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    tree = ET.parse(path)
    root = tree.getroot()
    root.set("width", str(width))
    root.set("height", str(height))
    if title:
        element = ET.Element(f"{{{_SVG_NS}}}title")
        element.text = title
        root.insert(0, element)
        root.set("role", "img")
        root.set("aria-label", title)
    tree.write(path, encoding="utf-8", xml_declaration=True)
