"""The scene catalog: every scene the CLI and the gallery can render, without importing manim.

``convanim list`` and every ``--help`` read this table, so it names each scene's module and class
as strings; :func:`load_scene_class` imports the module (and with it manim) only when a render
needs the class. Each entry also names its legibility check in :mod:`scenes.plans` (manim-free):
:func:`legibility_check` and :func:`stack_check` refuse a spec too large to draw without
importing the scene (issue 20). Each entry's :class:`~scenes.inputs.SceneDefaults` is the one
source of the scene's default spec, kernel preset and seed: the plain ``manim`` command (through
:func:`entry_for_class`) and the render pipeline both read it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from convmath import ConvMathError, ConvSpec
from scenes.inputs import SceneDefaults
from scenes.wording import text

__all__ = [
    "SceneEntry", "SCENES", "SCENE_NAMES", "scene_entry", "load_scene_class", "entry_for_class",
    "legibility_check", "stack_check",
]


@dataclass(frozen=True, slots=True)
class SceneEntry:
    """One renderable scene.

    Attributes
    ----------
    name : str
        The name users type (``convanim render sliding``).
    module : str
        Dotted module path holding the class.
    class_name : str
        The ``ConvScene`` subclass.
    description_key : str
        Key of its one-line description in :mod:`scenes.wording`.
    defaults : SceneDefaults
        The spec it draws when none is given, its kernel preset and seed.
    limits : str
        Dotted path of its legibility check in :mod:`scenes.plans`, a manim-free function
        ``check(spec, mode)`` raising :class:`convmath.ConvMathError` for a spec too large to
        draw legibly (the class's ``check_spec`` delegates to it).
    stack_limits : str or None
        For a scene that draws a stack: the dotted path of ``check(stack, mode)`` for a
        :class:`scenes.stack_inputs.LayerStack`.
    stacks : bool
        Whether it draws a stack of layers (``--layer``, a gallery's ``layers``,
        :class:`scenes.stack_inputs.LayerStack`) instead of one spec.
    """

    name: str
    module: str
    class_name: str
    description_key: str
    defaults: SceneDefaults
    limits: str
    stack_limits: str | None = None
    stacks: bool = False

    def description(self, lang: str = "en") -> str:
        """The one-line description in ``lang``."""
        return text(self.description_key, lang)


def _default_image_values() -> tuple[float, ...]:
    """The features scene's default input: the default image's R, G, B grid, 24×24 (drawn in
    code by :mod:`scenes.images`; no manim)."""
    from scenes.images import default_image, image_grid

    return tuple(image_grid(default_image(), 24).ravel().tolist())


# The matrix, connectivity and superposition views default to the "counting" kernel (weights
# 1 … n: no zero weight hides which input a weight meets; issue 15).
SCENES: dict[str, SceneEntry] = {
    e.name: e
    for e in (
        SceneEntry(
            "sliding", "scenes.sliding", "SlidingFilter", "scene_desc_sliding",
            SceneDefaults(ConvSpec((5, 5), 3, stride=2, padding=1), "sobel-x", 0),
            limits="scenes.plans.sliding.check_spec",
        ),
        SceneEntry(
            "matrix", "scenes.matrix", "MatrixView", "scene_desc_matrix",
            SceneDefaults(ConvSpec((6,), 3), "counting", 27),
            limits="scenes.plans.matrix.check_spec",
        ),
        SceneEntry(
            "connectivity", "scenes.connectivity", "Connectivity", "scene_desc_connectivity",
            SceneDefaults(ConvSpec((5,), 3, stride=2, padding=1), "counting", 0),
            limits="scenes.plans.connectivity.check_spec",
        ),
        SceneEntry(
            "superposition", "scenes.superposition", "Superposition", "scene_desc_superposition",
            SceneDefaults(ConvSpec((2, 2), 3, stride=2, transposed=True), "counting", 0),
            limits="scenes.plans.superposition.check_spec",
        ),
        SceneEntry(
            "sizes", "scenes.sizes", "OutputSize", "scene_desc_sizes",
            SceneDefaults(ConvSpec((6,), 3, stride=2, padding=1), "difference", 0),
            limits="scenes.plans.sizes.check_output_size",
        ),
        SceneEntry(
            "flip", "scenes.flip", "FlipVsCorrelation", "scene_desc_flip",
            # Seed 001's worked example (the input the flip scene's captions discuss).
            SceneDefaults(ConvSpec((5,), 2), "difference", 0, x=(2.0, 1.0, 0.0, 1.0, 2.0)),
            limits="scenes.plans.flip.check_spec",
        ),
        SceneEntry(
            "equation", "scenes.equation", "GeneralEquation", "scene_desc_equation",
            SceneDefaults(ConvSpec((5, 5), 3, stride=2, padding=1), "sobel-x", 0),
            limits="scenes.plans.equation.check_spec",
        ),
        SceneEntry(
            "deconv", "scenes.deconv", "NotDeconvolution", "scene_desc_deconv",
            # Kernel (1, 2, 2), stride 2: the shape changes (6 → 3 → 6), so Cᵀ visibly undoes
            # it; C (3×6, full row rank) has no inverse and C⁺·y is the minimum-norm x, not x.
            SceneDefaults(ConvSpec((6,), 3, stride=2, padding=1), "sobel-x", 3),
            limits="scenes.plans.deconv.check_spec",
        ),
        SceneEntry(
            # The scene stacks this layer as often as it fits (three times: 19 → 9 → 4 → 1); the
            # field (15 cells) leaves input cells outside it.
            "receptive", "scenes.receptive", "ReceptiveField", "scene_desc_receptive",
            SceneDefaults(ConvSpec((19,), 3, stride=2), "sobel-x", 0),
            limits="scenes.plans.receptive.check_spec",
            stack_limits="scenes.plans.receptive.check_stack", stacks=True,
        ),
        SceneEntry(
            "receptive_compare", "scenes.receptive", "StackComparison",
            "scene_desc_receptive_compare",
            SceneDefaults(ConvSpec((15, 15), 3), "sobel-x", 0),
            limits="scenes.plans.receptive.check_compare",
        ),
        # Issue 18: channels, groups, feature maps of an image.
        SceneEntry(
            "channels", "scenes.channels", "ChannelFilter", "scene_desc_channels",
            SceneDefaults(ConvSpec((4, 4), 3, in_channels=3, out_channels=2), "sobel-x", 3,
                          bias=(1.0, -1.0)),
            limits="scenes.plans.channels.check_spec",
        ),
        SceneEntry(
            "groups", "scenes.groups", "ChannelGroups", "scene_desc_groups",
            SceneDefaults(ConvSpec((6, 6), 3, padding=1, in_channels=4, out_channels=8,
                                   groups=2), "sobel-x", 0),
            limits="scenes.plans.groups.check_spec",
        ),
        SceneEntry(
            "features", "scenes.features", "FeatureMaps", "scene_desc_features",
            SceneDefaults(ConvSpec((24, 24), 3, in_channels=3, out_channels=1), "sobel-x", 0,
                          x=_default_image_values()),
            limits="scenes.plans.features.check_spec",
        ),
        SceneEntry(
            "paddings", "scenes.sizes", "NamedPaddings", "scene_desc_paddings",
            SceneDefaults(ConvSpec((6,), 3, stride=2, padding=1), "difference", 0),
            limits="scenes.plans.sizes.check_named_paddings",
        ),
        SceneEntry(
            "sizes_transposed", "scenes.sizes", "ConvToTransposed",
            "scene_desc_sizes_transposed",
            SceneDefaults(ConvSpec((6,), 3, stride=2, padding=1), "difference", 0),
            limits="scenes.plans.sizes.check_sizes_transposed",
        ),
    )
}

SCENE_NAMES: tuple[str, ...] = tuple(SCENES)
_BY_CLASS: dict[str, SceneEntry] = {e.class_name: e for e in SCENES.values()}
assert len(_BY_CLASS) == len(SCENES), "class names in the catalog must be unique"


def scene_entry(name: str) -> SceneEntry:
    """The entry for ``name``.

    Raises
    ------
    ConvMathError
        For an unknown name, listing the known ones.
    """
    if name not in SCENES:
        raise ConvMathError(
            f"scene={name!r} is invalid: scene must be one of {', '.join(SCENE_NAMES)}",
            param="scene",
        )
    return SCENES[name]


def load_scene_class(name: str) -> type:
    """Import and return the scene class for ``name`` (this imports manim).

    Raises
    ------
    ConvMathError
        For an unknown name.
    """
    entry = scene_entry(name)
    module = importlib.import_module(entry.module)
    return getattr(module, entry.class_name)


def entry_for_class(cls: type) -> SceneEntry:
    """The entry of ``cls`` or of its nearest catalogued base class (walking ``cls.__mro__``).

    A user's subclass of ``MatrixView`` inherits ``MatrixView``'s defaults. Matching is by class
    name only (catalogued names are unique): ``manim path/to/scenes/matrix.py`` loads the module
    under a name built from the path, so the module name cannot be trusted; and this never
    imports a scene module.

    Raises
    ------
    ConvMathError
        When no class in the MRO is in the catalog.
    """
    for klass in getattr(cls, "__mro__", ()):
        entry = _BY_CLASS.get(klass.__name__)
        if entry is not None:
            return entry
    raise ConvMathError(
        f"scene class {getattr(cls, '__name__', cls)!r} is not in the scene catalog and derives "
        f"from none of its classes ({', '.join(e.class_name for e in SCENES.values())})",
        param="scene",
    )


def _resolve(path: str) -> Any:
    """The object at dotted ``path`` (``"package.module.name"``), importing its module."""
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def legibility_check(name: str) -> Callable[[ConvSpec, str], None]:
    """The legibility check of scene ``name``: ``check(spec, mode)`` raises
    :class:`ConvMathError` (its message states the limit) when ``spec`` is too large for the
    scene to draw legibly in ``mode`` (``"numeric"`` or ``"schematic"``). It lives in
    :mod:`scenes.plans` and imports no manim; the scene class's ``check_spec`` is the same check.

    Raises
    ------
    ConvMathError
        For an unknown name.
    """
    return _resolve(scene_entry(name).limits)


def stack_check(name: str) -> Callable[[Any, str], None] | None:
    """The stack check of scene ``name`` (``check(stack, mode)`` for a
    :class:`scenes.stack_inputs.LayerStack`, manim-free), or ``None`` for a scene that draws one
    spec.

    Raises
    ------
    ConvMathError
        For an unknown name.
    """
    path = scene_entry(name).stack_limits
    return None if path is None else _resolve(path)
