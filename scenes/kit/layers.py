"""Static layers: manim's Cairo renderer redraws only what moves, wherever it is in the z-order.

Manim's Cairo renderer draws the mobjects before the first moving one (in z-order) once per
``play`` into a background image, and every mobject from the first moving one on again on every
frame. One animated mobject low in the z-order (a link under the grids at z-index −1) makes it
redraw the whole picture on every frame; and the background image itself is drawn again from
scratch for every ``play`` and ``wait``.

A :class:`ConvScene` draws through :class:`LayerCamera` and :func:`split`:

- manim's own split is kept (so what is drawn, and in which order, is what manim draws), but in
  the part drawn every frame each run of mobjects that do not move becomes one
  :class:`StaticLayer`: drawn once, on the first frame of the ``play``, into a transparent image
  of the frame, then composited (cairo ``OVER``) in its place on every frame. The frame's own
  order is recomputed each frame as manim does (a moving text may gain glyphs, a ``Succession``
  may add mobjects), and a layer stands where its first member was.
- static mobjects (manim's background image, and the layers) are drawn through a cache of
  pieces: the run of one scene mobject's family drawn into a small transparent surface, keyed by
  everything the camera reads to draw it (points, colours, widths, joints), so a grid that did
  not change since the last ``play`` is pasted, not drawn again.

"Moving" is manim's rule per mobject: the families of the animations' mobjects (compositions
included), of mobjects with updaters and of foreground mobjects. Only plain ``VMobject`` s
without a background image go into layers and pieces; anything else is drawn directly, as manim
does. Compositing premultiplied 8-bit ARGB rounds an antialiased edge differently from drawing
it directly (by at most a few units of 255); nothing else in the picture changes
(``tests/kit/test_layers.py`` compares frames with manim's own camera).
"""

from __future__ import annotations

import itertools as it
from collections import OrderedDict
from collections.abc import Iterable
from enum import Enum
from typing import Any

import cairo
import numpy as np
from manim import Mobject, Scene, VMobject
from manim.camera.camera import Camera
from manim.utils.iterables import list_update

from scenes.kit.fastpaths import animated_mobjects

__all__ = ["LayerCamera", "StaticLayer", "split"]


#: Most bytes of drawn pieces a camera keeps for reuse (oldest dropped first).
CACHE_BYTES = 256 * 2**20


def _arr(a: Any) -> tuple[Any, ...]:
    if type(a) is not np.ndarray:
        if a is None:
            return (None, None, None)
        a = np.asarray(a)
    return (a.shape, a.dtype, a.tobytes())


def _plain(value: Any) -> Any:
    """An enum member as ``(its class, its value)`` (hashed in C; ``Enum.__hash__`` is Python)."""
    return (type(value), value._value_) if isinstance(value, Enum) else value


def _signature(mob: VMobject) -> tuple[Any, ...]:
    """Everything manim's Cairo camera reads to draw ``mob``, as a hashable key: the raw
    attributes its getters read (``get_fill_rgbas`` and ``get_stroke_rgbas`` read
    ``fill_rgbas``, ``stroke_rgbas`` and ``background_stroke_rgbas``, ``get_stroke_width`` the
    widths; each getter's result is a function of them), as bytes with their shapes and types,
    the joints and caps, and a gradient's direction. Equal keys draw equal pictures."""
    get = mob.__dict__.get
    fill, stroke = get("fill_rgbas"), get("stroke_rgbas")
    key = (type(mob), *_arr(mob.points), *_arr(fill), *_arr(stroke),
           *_arr(get("background_stroke_rgbas")), get("stroke_width"),
           get("background_stroke_width"), _plain(mob.joint_type), _plain(mob.cap_style))
    if (fill is not None and len(fill) > 1) or (stroke is not None and len(stroke) > 1):
        key += (*_arr(np.asarray(mob.get_sheen_direction(), dtype=float)),
                bool(getattr(mob, "shade_in_3d", False)))
    return key


class _Piece:
    """Mobjects drawn once into a small transparent surface at pixel offset ``(x, y)``."""

    __slots__ = ("x", "y", "surface", "nbytes")

    def __init__(self, x: int, y: int, surface: cairo.ImageSurface | None) -> None:
        self.x, self.y, self.surface = x, y, surface
        self.nbytes = 0 if surface is None else surface.get_stride() * surface.get_height()

    def paint(self, ctx: cairo.Context) -> None:
        """Composite over ``ctx`` (pixel coordinates)."""
        if self.surface is None:
            return
        ctx.set_source_surface(self.surface, self.x, self.y)
        ctx.rectangle(self.x, self.y, self.surface.get_width(), self.surface.get_height())
        ctx.fill()


class StaticLayer(VMobject):
    """A run of static mobjects drawn once into a transparent image, composited every frame.

    Parameters
    ----------
    members
        The run's mobjects, in the order drawn (each with points, a plain ``VMobject``).
    """

    def __init__(self, members: list[VMobject]) -> None:
        super().__init__()
        self.members = members
        # One degenerate curve: manim only draws mobjects with points.
        self.set_points(np.zeros((4, 3)))
        self.z_index = members[0].z_index
        self._surface: cairo.ImageSurface | None = None
        self._box: tuple[int, int, int, int] | None = None

    def paint(self, camera: LayerCamera, ctx: cairo.Context) -> None:
        """Composite the layer over what ``ctx`` (the frame) holds; drawn on first use."""
        if self._surface is None:
            ph, pw = camera.pixel_array.shape[:2]
            self._surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, pw, ph)
            boxes = camera.composite(self.members, cairo.Context(self._surface))
            self._surface.flush()
            if boxes:
                x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
                x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
                self._box = (x0, y0, x1 - x0, y1 - y0)
        if self._box is None:
            return
        ctx.save()
        ctx.identity_matrix()
        ctx.new_path()
        ctx.set_source_surface(self._surface, 0, 0)
        ctx.rectangle(*self._box)
        ctx.fill()
        ctx.restore()


class LayerCamera(Camera):
    """manim's Cairo ``Camera`` that draws static mobjects through a cache of drawn pieces,
    paints a :class:`StaticLayer` as one image and draws the current ``play``'s plan
    (:func:`split`) in its order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan: list[Mobject] | None = None
        self.layer_of: dict[int, StaticLayer] = {}
        self.scene: Any = None
        self.static_plan: list[Mobject] | None = None
        self.owner: dict[int, int] = {}
        self._pieces: OrderedDict[tuple, _Piece] = OrderedDict()
        self._piece_bytes = 0
        self.stats = {"pieces_drawn": 0, "pieces_reused": 0, "orders_reused": 0}
        self.roots: list[Mobject] = []
        self._order: tuple[Any, int, tuple, list[Mobject]] | None = None
        self._view: tuple = ()  # the pixel size and frame of the current composite

    # -- drawing through the cache -------------------------------------------------------------

    def _matrix(self) -> tuple[float, float, float, float]:
        """``(sx, sy, tx, ty)``: frame units to pixels (manim's Cairo transform)."""
        pw, ph = self.pixel_width, self.pixel_height
        fw, fh, fc = self.frame_width, self.frame_height, self.frame_center
        return pw / fw, -(ph / fh), pw / 2 - fc[0] * (pw / fw), ph / 2 + fc[1] * (ph / fh)

    def _piece(self, mobs: list[VMobject]) -> _Piece:
        key = (self._view, *map(_signature, mobs))
        hit = self._pieces.get(key)
        if hit is not None:
            self._pieces.move_to_end(key)
            self.stats["pieces_reused"] += 1
            return hit
        self.stats["pieces_drawn"] += 1
        piece = self._draw_piece(mobs)
        self._pieces[key] = piece
        self._piece_bytes += piece.nbytes
        while self._piece_bytes > CACHE_BYTES and len(self._pieces) > 1:
            _, old = self._pieces.popitem(last=False)
            self._piece_bytes -= old.nbytes
        return piece

    def _draw_piece(self, mobs: list[VMobject]) -> _Piece:
        sx, sy, tx, ty = self._matrix()
        pts = np.concatenate([m.points[:, :2] for m in mobs])
        pts = pts[np.isfinite(pts).all(axis=1)]
        if not len(pts):
            return _Piece(0, 0, None)
        widths = [max(m.get_stroke_width(), m.get_stroke_width(background=True)) for m in mobs]
        # Half the widest line, times cairo's miter limit (10), and antialiasing.
        margin = 10 * 0.5 * max(widths) * self.cairo_line_width_multiple * abs(sx) + 3
        xs, ys = sx * pts[:, 0] + tx, sy * pts[:, 1] + ty
        x0 = max(0, int(np.floor(xs.min() - margin)))
        y0 = max(0, int(np.floor(ys.min() - margin)))
        x1 = min(self.pixel_width, int(np.ceil(xs.max() + margin)))
        y1 = min(self.pixel_height, int(np.ceil(ys.max() + margin)))
        if x1 <= x0 or y1 <= y0:
            return _Piece(0, 0, None)
        surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, x1 - x0, y1 - y0)
        ctx = cairo.Context(surface)
        ctx.set_matrix(cairo.Matrix(sx, 0, 0, sy, tx - x0, ty - y0))
        for m in mobs:
            super().display_vectorized(m, ctx)
        surface.flush()
        return _Piece(x0, y0, surface)

    def composite(self, mobs: list[Mobject], ctx: cairo.Context,
                  pixel_array: np.ndarray | None = None) -> list[tuple[int, int, int, int]]:
        """Draw ``mobs`` (in order) over ``ctx``'s surface: each run of one scene mobject's
        family as a cached piece; anything not layerable directly onto ``pixel_array``.
        Returns the pixel boxes ``(x0, y0, x1, y1)`` painted."""
        boxes: list[tuple[int, int, int, int]] = []
        self._view = (self.pixel_width, self.pixel_height, float(self.frame_width),
                      float(self.frame_height), *map(float, self.frame_center))
        groups = it.groupby(mobs, lambda m: self.owner.get(id(m), id(m))
                            if _layerable(m) else None)
        for owner, group in groups:
            members = list(group)
            if owner is None:
                if pixel_array is None:
                    raise TypeError("only plain VMobjects can be drawn into a layer")
                ctx.get_target().flush()
                super().capture_mobjects(members)
                ctx.get_target().mark_dirty()
                continue
            piece = self._piece(members)
            if piece.surface is None:
                continue
            ctx.save()
            ctx.identity_matrix()
            ctx.new_path()
            piece.paint(ctx)
            ctx.restore()
            boxes.append((piece.x, piece.y, piece.x + piece.surface.get_width(),
                          piece.y + piece.surface.get_height()))
        return boxes

    # -- manim's camera, with the plan -----------------------------------------------------------

    def capture_mobjects(self, mobjects: Iterable[Mobject], **kwargs: Any) -> None:
        if mobjects is self.static_plan and not kwargs.get("excluded_mobjects"):
            # The play's still part, in manim's order: through the cache of drawn pieces.
            order = super().get_mobjects_to_display(mobjects)
            self.composite(order, self.get_cairo_context(self.pixel_array), self.pixel_array)
            return
        super().capture_mobjects(mobjects, **kwargs)

    def get_mobjects_to_display(self, mobjects: Iterable[Mobject], include_submobjects: bool = True,
                                excluded_mobjects: list | None = None) -> list[Mobject]:
        current = self.scene is not None and mobjects is self.scene.moving_mobjects
        if not current or self.plan is None or excluded_mobjects or not include_submobjects:
            return super().get_mobjects_to_display(mobjects, include_submobjects,
                                                   excluded_mobjects)
        # Only what moves can change what this frame draws (its members, which have points,
        # their z-order), and the list itself (``Scene.add`` during a play, as a
        # ``Succession`` does, replaces it): while both stay as on the last frame, so does
        # the frame's order.
        if not self.roots:  # nothing moves, or so much that the check would cost the walk
            return self._frame_order(super().get_mobjects_to_display(mobjects))
        key = tuple((id(f), len(f.submobjects), len(f.points), f.z_index)
                    for root in self.roots for f in root.get_family())
        last = self._order
        if last is not None and last[0] is mobjects and last[1] == len(mobjects) \
                and last[2] == key:
            self.stats["orders_reused"] += 1
            return list(last[3])
        out = self._frame_order(super().get_mobjects_to_display(mobjects))
        self._order = (mobjects, len(mobjects), key, out)
        return list(out)

    def _frame_order(self, order: list[Mobject]) -> list[Mobject]:
        # manim's order of this frame (a moving text may have gained glyphs since the play
        # began, an animation of a Succession may have added its mobject), each static run
        # replaced by its layer where its first member was, if all its members are still here.
        seen: dict[int, int] = {}
        for mob in order:
            layer = self.layer_of.get(id(mob))
            if layer is not None:
                seen[id(layer)] = seen.get(id(layer), 0) + 1
        out: list[Mobject] = []
        emitted: set[int] = set()
        for mob in order:
            layer = self.layer_of.get(id(mob))
            if layer is None or seen[id(layer)] != len(layer.members):
                out.append(mob)
            elif id(layer) not in emitted:
                emitted.add(id(layer))
                out.append(layer)
        return out

    def display_vectorized(self, vmobject: VMobject, ctx: cairo.Context) -> Any:
        if isinstance(vmobject, StaticLayer):
            vmobject.paint(self, ctx)
            return self
        return super().display_vectorized(vmobject, ctx)


def _layerable(mob: Mobject) -> bool:
    return isinstance(mob, VMobject) and mob.get_background_image() is None


def split(scene: Any, animations: Iterable[Any]) -> tuple[list[Mobject], list[Mobject]]:
    """``(moving, static)`` for manim's Cairo renderer (``Scene.get_moving_and_static_mobjects``
    of a scene whose camera is a :class:`LayerCamera`): manim's own split, whose ``moving`` part
    is then drawn in the order manim would draw it, each run of mobjects that do not move
    replaced by one :class:`StaticLayer` (see the module docstring)."""
    camera = scene.renderer.camera
    camera.plan = camera.static_plan = None
    camera.layer_of = {}
    moving_families, static = Scene.get_moving_and_static_mobjects(scene, animations)
    order = camera.get_mobjects_to_display(moving_families)  # what manim draws every frame
    everything = list_update(scene.mobjects, scene.foreground_mobjects)
    roots = animated_mobjects(animations) + list(scene.foreground_mobjects)
    owner: dict[int, int] = {}
    for k, top in enumerate(everything):
        for f in top.get_family():
            owner[id(f)] = k
            if f.updaters:
                roots.append(f)
    moving_ids = {id(f) for m in roots for f in m.get_family()}
    layer_of: dict[int, StaticLayer] = {}
    run: list[VMobject] = []
    for mob in [*order, None]:
        if mob is not None and id(mob) not in moving_ids and _layerable(mob):
            run.append(mob)
            continue
        if run:
            layer = StaticLayer(run)
            layer_of.update((id(m), layer) for m in run)
            run = []
    # A still frame: one mobject without points keeps manim from drawing everything again.
    plan = moving_families or [Mobject()]
    camera.plan, camera.layer_of, camera.static_plan = plan, layer_of, static
    camera.scene = scene
    camera.owner = owner
    # The frame order is kept while what moves stays as it was (LayerCamera's check walks the
    # moving families); when most of the picture moves, that check costs what it saves.
    camera.roots = roots if 2 * len(moving_ids) < len(order) else []
    camera._order = None
    return plan, static
