"""Images as grids a scene can draw: read one (any format Pillow reads), or make the default one.

No manim import. The default image is drawn here in code (nothing is downloaded or bundled): a
light grey gradient with a red disc (almost invisible once grey: the colour filter finds it), a
blue square, a green bar and a white diagonal line, so an edge filter, a blur, a sharpen and a
colour filter each have something to bring out. It is made by this project and is free of any
licence (CC0).

Bad files give one :class:`~convmath.ConvMathError` line naming ``image``: a missing, empty or
unreadable file, or one too large — checked on the file size and on the pixel count Pillow reads
from the header *before* anything is decoded.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from convmath import ConvMathError, ConvSpec, convolve

__all__ = ["MAX_IMAGE_BYTES", "MAX_IMAGE_PIXELS", "MAX_GRID_SIDE", "load_image",
           "default_image", "image_grid", "luma_weights", "luma"]

#: Largest image file read (bytes).
MAX_IMAGE_BYTES = 64 * 1024 * 1024
#: Largest image decoded (pixels, from the header: width × height).
MAX_IMAGE_PIXELS = 50_000_000
#: Longest side of the drawn grid, in cells.
MAX_GRID_SIDE = 64


def _error(path: object, why: str) -> ConvMathError:
    return ConvMathError(f"image={str(path)!r} is invalid: {why}", param="image")


def load_image(path: str | os.PathLike[str]):
    """The image at ``path`` as an RGB :class:`PIL.Image.Image` (decoded, file closed).

    Raises
    ------
    ConvMathError
        ``param="image"``: no such file, not a regular file, empty, larger than
        :data:`MAX_IMAGE_BYTES`, not an image Pillow reads, or more than
        :data:`MAX_IMAGE_PIXELS` pixels (judged from the header, before decoding).
    """
    from PIL import Image, UnidentifiedImageError

    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        raise _error(path, "no such file") from None
    if not p.is_file():
        raise _error(path, "it is not a regular file")
    if st.st_size == 0:
        raise _error(path, "the file is empty")
    if st.st_size > MAX_IMAGE_BYTES:
        raise _error(path, f"the file has {st.st_size:,} bytes; at most {MAX_IMAGE_BYTES:,} "
                           "are read")
    try:
        with Image.open(p) as im:  # reads the header only
            w, h = im.size
            if w < 1 or h < 1:
                raise _error(path, "the image has no pixels")
            if w * h > MAX_IMAGE_PIXELS:
                raise _error(path, f"the image has {w}×{h} = {w * h:,} pixels; at most "
                                   f"{MAX_IMAGE_PIXELS:,} are decoded")
            return im.convert("RGB")
    except ConvMathError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise _error(path, f"Pillow cannot read it as an image ({type(exc).__name__})") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise _error(path, f"the image is damaged or truncated ({exc})") from None


def default_image(size: int = 48):
    """The default test image (RGB, ``size``×``size``), drawn in code (module docstring)."""
    from PIL import Image, ImageDraw

    n = int(size)
    yy, xx = np.mgrid[0:n, 0:n] / max(n - 1, 1)
    base = (150 + 60 * (0.6 * xx + 0.4 * yy)).astype(np.uint8)  # light grey gradient
    im = Image.fromarray(np.stack([base] * 3, axis=-1), "RGB")
    d = ImageDraw.Draw(im)
    u = n / 48
    d.ellipse([6 * u, 6 * u, 22 * u, 22 * u], fill=(215, 40, 40))       # red disc
    d.rectangle([27 * u, 9 * u, 41 * u, 23 * u], fill=(40, 70, 200))    # blue square
    d.rectangle([8 * u, 30 * u, 40 * u, 36 * u], fill=(40, 170, 60))    # green bar
    d.line([6 * u, 44 * u, 44 * u, 39 * u], fill=(245, 245, 245), width=max(1, round(2 * u)))
    return im


def image_grid(image, max_side: int = 24) -> NDArray[np.float64]:
    """``image`` sampled down to at most ``max_side`` cells on its longer side (aspect kept,
    area-averaging ``Image.BOX`` resampling) as a float array ``(3, rows, cols)`` in [0, 1].

    Raises
    ------
    ConvMathError
        ``param="image_size"`` when ``max_side`` is not an integer from 3 to
        :data:`MAX_GRID_SIDE`.
    """
    from PIL import Image

    if isinstance(max_side, bool) or not isinstance(max_side, int) \
            or not 3 <= max_side <= MAX_GRID_SIDE:
        raise ConvMathError(f"image_size={max_side!r} is invalid: it must be an integer from 3 "
                            f"to {MAX_GRID_SIDE}", param="image_size")
    w, h = image.size
    scale = max_side / max(w, h)
    cols, rows = max(1, round(w * scale)), max(1, round(h * scale))
    small = image.convert("RGB").resize((cols, rows), Image.BOX)
    return np.asarray(small, dtype=np.float64).transpose(2, 0, 1) / 255.0


def luma_weights() -> NDArray[np.float64]:
    """The 1×1 convolution from R, G, B to grey: ITU-R BT.601 luma (Pillow's ``convert("L")``),
    as PyTorch-layout weights ``(1, 3, 1, 1)``."""
    return np.array([0.299, 0.587, 0.114]).reshape(1, 3, 1, 1)


def luma(rgb: NDArray[np.float64]) -> NDArray[np.float64]:
    """Grey levels ``(rows, cols)`` of an RGB grid ``(3, rows, cols)``: the 1×1 convolution with
    :func:`luma_weights` (computed by the engine)."""
    spec = ConvSpec(rgb.shape[1:], 1, in_channels=3, out_channels=1)
    return convolve(rgb, luma_weights(), spec)[0]
