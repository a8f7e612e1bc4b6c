"""`RenderRequest`: one scene, its inputs and the options, with the file it goes to.

The one type the pipeline passes around: the CLI, the gallery and :func:`scenes.render` build it
with :meth:`RenderRequest.make`, which checks everything that can be checked before a render
starts (sizes, arrays, options, the output's name, extension and kind); the cache key is
:meth:`RenderRequest.key`. ``inputs`` is a :class:`scenes.inputs.ConvInputs` today; scenes that
draw several layers or channels bring their own inputs type with the same ``digest()``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from numpy.typing import ArrayLike

from convmath import ConvMathError, ConvSpec
from scenes.catalog import scene_entry
from scenes.inputs import ConvInputs, spec_record
from scenes.pipeline.cache import source_digest, version
from scenes.pipeline.errors import OutputError
from scenes.pipeline.files import check_name_length, check_target
from scenes.pipeline.naming import default_output_path, stack_tag, values_tag
from scenes.pipeline.options import FORMATS, RenderOptions
from scenes.pipeline.writers import WRITERS
from scenes.stack_inputs import LayerStack

__all__ = [
    "RenderRequest", "MAX_GRID_CELLS", "check_size", "resolve_format", "check_folder",
    "prepare_folder",
]

#: No scene draws, and ``explain`` writes out, more cells than this in any one grid (input, drawn
#: grid, kernel, output): a guard against runaway memory and time, checked before any array is
#: made. The scenes' own, smaller legibility limits are their ``check_spec`` methods.
MAX_GRID_CELLS = 10_000


def check_size(spec: ConvSpec) -> None:
    """Raise :class:`ConvMathError` when a grid of ``spec`` exceeds :data:`MAX_GRID_CELLS`.

    Cell counts are Python integers (no wrap-around, whatever the sizes).
    """
    grids = (
        ("input_shape", spec.input_shape),
        ("kernel_shape", spec.kernel_shape),
        ("output_shape", spec.output_shape),
        ("grid_shape", spec.grid_shape),
    )
    for name, shape in grids:
        cells = math.prod(int(v) for v in shape)  # type: ignore[union-attr]
        if cells > MAX_GRID_CELLS:
            shown = "×".join(str(v) for v in shape)  # type: ignore[union-attr]
            raise ConvMathError(
                f"{name}={shown} is too large: it has {cells} cells and convanim draws and "
                f"explains at most {MAX_GRID_CELLS} cells per grid (e.g. 100×100)", param=name,
            )


def _is_folder_name(output: str | os.PathLike[str]) -> bool:
    text = os.fspath(output)
    return text.endswith(("/", os.sep))


def resolve_format(output: Path | None, fmt: str | None) -> str:
    """The format of a render: ``fmt``, or the one ``output``'s extension names.

    Raises
    ------
    ConvMathError
        ``param="fmt"`` for an unknown ``fmt``.
    OutputError
        ``param="output"`` when the extension names no format (and ``fmt`` is not given), or a
        different one than ``fmt``.
    """
    if fmt is not None and fmt not in FORMATS:
        WRITERS[fmt]  # raises, listing the formats
    if output is None:
        return fmt or FORMATS[0]
    named = WRITERS.for_suffix(output.suffix)
    suffixes = ", ".join(WRITERS[f].suffix for f in FORMATS)
    if fmt is None:
        if named is None:
            what = (f"its extension {output.suffix!r} names no format" if output.suffix
                    else "it has no extension")
            raise OutputError(
                f"output={str(output)!r} is invalid: {what}; end it in one of {suffixes} or "
                "choose a format", param="output")
        return named
    if named != fmt:
        want = output.with_suffix(WRITERS[fmt].suffix).name
        raise OutputError(
            f"output={str(output)!r} is invalid: it ends in {output.suffix or 'no extension'} "
            f"but the format is {fmt}: name it {want!r}"
            + (f", or choose the format {named}" if named else ""), param="output")
    return fmt


def check_folder(folder: Path, name: str = "output") -> None:
    """:class:`OutputError` (``param=name``) when a file stands where ``folder`` or one of its
    parents should be."""
    for part in (folder, *folder.parents):
        if part.exists() and not part.is_dir():
            raise OutputError(
                f"{name}={str(folder)!r} is invalid: {str(part)!r} is a file, not a folder",
                param=name,
            )


def prepare_folder(folder: Path, name: str = "output") -> None:
    """Create ``folder`` if needed; :class:`OutputError` (``param=name``) if that is impossible
    or it is not writable."""
    check_folder(folder, name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"{name}={str(folder)!r} is invalid: the folder cannot be created "
            f"({exc.strerror or exc})", param=name,
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{name}={str(folder)!r} is invalid: the folder is not writable",
                          param=name)


def _check_path(path: Path) -> None:
    """The output's folder chain, kind (a regular file or absent) and name length."""
    check_name_length(path)
    check_folder(path.parent)
    check_target(path)


@dataclass(frozen=True)
class RenderRequest:
    """What to render and where.

    Attributes
    ----------
    scene : str
        A catalog name (:data:`scenes.catalog.SCENE_NAMES`).
    inputs : ConvInputs
        The spec and the arrays the scene draws.
    options : RenderOptions
        The look and the file's format, size and frame rate.
    path : pathlib.Path
        The file to write (checked: a regular file or absent, its extension the format's).
    stack : LayerStack or None
        For a scene that draws a stack of layers (its catalog entry's ``stacks``): the stack
        (``inputs.spec`` is then its first layer); ``None`` for one spec.
    """

    scene: str
    inputs: ConvInputs
    options: RenderOptions
    path: Path
    stack: LayerStack | None = None

    @classmethod
    def make(
        cls,
        scene: str,
        spec: ConvSpec | None,
        x: ArrayLike | None = None,
        w: ArrayLike | None = None,
        *,
        output: str | os.PathLike[str] | None = None,
        fmt: str | None = None,
        bias: ArrayLike | None = None,
        stack: LayerStack | None = None,
        **options: Any,
    ) -> RenderRequest:
        """Check everything and build the request (nothing is written).

        ``output`` ``None`` gives :func:`default_output_path` under ``media/``; a name ending in
        ``/`` is a folder to put that default name in. ``fmt`` ``None`` takes the format from
        the output's extension (GIF for default names). ``bias``: one value per output channel
        (``None``: the scene's default for its own spec, else none). ``options`` are the other
        :class:`RenderOptions` fields. ``stack``: the layers of a scene that draws a stack
        (``spec`` may then be ``None``; given, it must be the stack's first layer).

        Raises
        ------
        ConvMathError
            For an unknown scene, a spec too large (:func:`check_size`), bad arrays or options.
        OutputError
            For an output that is a directory, a device, a FIFO, a symbolic link, whose
            extension disagrees with ``fmt``, or whose name is too long.
        """
        entry = scene_entry(scene)
        if stack is not None:
            spec = _stack_spec(entry, stack, spec)
        if not isinstance(spec, ConvSpec):
            raise ConvMathError(f"spec={spec!r} is invalid: it must be a ConvSpec", param="spec")
        check_size(spec)
        inputs = ConvInputs.make(spec, x, w, defaults=entry.defaults, bias=bias)
        folder = output is not None and _is_folder_name(output)
        given = None if output is None or folder else Path(output)
        if given is not None:
            _check_path(given)
        opts = RenderOptions(fmt=resolve_format(given, fmt), **options)
        if given is None:
            tag = values_tag(spec, None if x is None else inputs.x,
                             None if w is None else inputs.w, entry.defaults)
            if stack is not None:
                tag = "_".join(t for t in (stack_tag(stack), tag) if t)
            given = default_output_path(
                entry.name, spec, fmt=opts.fmt, mode=opts.mode, theme=opts.theme,
                lang=opts.lang, values_tag=tag,
                **({"directory": Path(output)} if folder else {}),  # type: ignore[arg-type]
            )
            _check_path(given)
        request = cls(entry.name, inputs, opts, given, stack)
        if request.poster is not None:
            check_target(request.poster)
        return request

    @property
    def poster(self) -> Path | None:
        """For video: the PNG beside the output holding its preview frame
        (``<stem>.poster.png``); ``None`` for other formats or when that name is too long."""
        if not WRITERS[self.options.fmt].video:
            return None
        poster = self.path.with_name(f"{self.path.stem}.poster.png")
        try:
            check_name_length(poster)
        except OutputError:
            return None
        return poster

    def key(self) -> str:
        """The digest of everything that changes the file's bytes: scene, inputs, options, the
        convanim and manim versions and the sources that draw the scene."""
        request = {
            "scene": self.scene,
            "inputs": self.inputs.digest(),
            **({} if self.stack is None else {"stack": self.stack.digest()}),
            "options": self.options.record(),
            "convanim": version("convanim"),
            "manim": version("manim"),
            "sources": source_digest(scene_entry(self.scene).module),
        }
        blob = json.dumps(request, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()

    def record(self) -> dict[str, Any]:
        """What the sidecar says about the request (for people reading it)."""
        record = {"scene": self.scene, "spec": spec_record(self.inputs.spec),
                  "options": self.options.record()}
        if self.stack is not None:
            record |= self.stack.record()
        return record


def _stack_spec(entry: Any, stack: LayerStack, spec: ConvSpec | None) -> ConvSpec:
    """The spec of a stack's request: its first layer (``param="layers"`` errors)."""
    if not entry.stacks:
        raise ConvMathError(f"layers are invalid for the {entry.name} scene: only the scenes "
                            f"that draw a stack of layers take them ({_stack_scenes()})",
                            param="layers")
    if not isinstance(stack, LayerStack):
        raise ConvMathError(f"stack={stack!r} is invalid: it must be a LayerStack",
                            param="layers")
    if spec is not None and spec != stack.spec:
        raise ConvMathError("spec is invalid with a stack: give the layers only (the first "
                            "layer is the spec)", param="spec")
    return stack.spec


def _stack_scenes() -> str:
    from scenes.catalog import SCENES

    return ", ".join(name for name, e in SCENES.items() if e.stacks)
