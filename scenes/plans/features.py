"""The feature-maps scene's plan and limit (:class:`scenes.features.FeatureMaps`), manim-free."""

from __future__ import annotations

from convmath import ConvMathError, ConvSpec
from convmath.explain import format_shape
from scenes.layout import REF_FRAME_HEIGHT, REF_FRAME_WIDTH, Layout, check_cells, plan, px_480p

__all__ = ["SCREENS", "plan_layout", "check_spec"]

#: The scene's screens with grids (:func:`plan_layout`'s ``screen``).
SCREENS: tuple[str, ...] = ("sweep", "presets", "colour")


def plan_layout(spec: ConvSpec, *, frame_width: float, frame_height: float,
                screen: str = "sweep") -> Layout:
    """``"sweep"``: image │ kernel │ map; ``"presets"``: image and three maps;
    ``"colour"``: R │ G │ B │ map. A title row above, two text rows below (frame units; no
    numbers)."""
    s = spec.input_shape
    columns = {"sweep": [[spec.grid_shape], [spec.kernel_shape], [spec.output_shape]],
               "presets": [[s], [s], [s], [s]],
               "colour": [[s], [s], [s], [s]]}[screen]
    return plan(columns, frame_width=frame_width, frame_height=frame_height, top_rows=1,
                bottom_rows=2, numeric=False)


def check_spec(spec: ConvSpec, mode: str = "numeric", *, name: str = "FeatureMaps") -> None:
    """Raise :class:`convmath.ConvMathError` unless ``spec`` is an image spec
    (:func:`scenes.features.image_spec`: 3 input channels, 1 output, a 2D 3×3 kernel) whose
    cells are at least :data:`scenes.layout.MIN_CELL_PX_480P` on every screen of
    :func:`plan_layout` (no numbers: ``mode`` is not the limit). ``name`` is the scene named in
    the message."""
    if (spec.in_channels, spec.out_channels, spec.groups) != (3, 1, 1) or spec.transposed \
            or spec.kernel_shape != (3, 3) or spec.ndim != 2:
        raise ConvMathError(
            f"spec is invalid for {name}: it shows an image's R, G, B channels "
            f"(in_channels=3, out_channels=1, a 2D 3×3 kernel); give --image PATH, or "
            f"nothing for the default image (got in_channels={spec.in_channels}, "
            f"out_channels={spec.out_channels})", param="image")
    spec = ConvSpec(spec.input_shape, 3)

    def smallest(sp: ConvSpec) -> tuple[str, float]:
        px = min(px_480p(plan_layout(sp, frame_width=REF_FRAME_WIDTH,
                                     frame_height=REF_FRAME_HEIGHT, screen=k).cell)
                 for k in SCREENS)
        return f"the image grid {format_shape(sp.input_shape)}", px

    check_cells(name, spec, smallest)
