"""`ChannelGroups`: groups of channels, and the depthwise-separable convolution, with their costs.

Channels are drawn as blocks (one square per channel) in three columns: the input channels, the
channels of a depthwise convolution, the output channels. Lines join each output channel to the
input channels its filter reads (``ConvSpec.channel_pairs``). Three screens, one after the other:
the standard convolution (every filter reads every input channel), the spec's groups (coloured
blocks that only see their own group) and the depthwise-separable replacement (a depthwise
convolution then a 1×1 pointwise one, ``convmath.channels.separable_specs``), each with its
counts from ``convmath.channels.conv_counts`` beside the standard one's.

Run with defaults: ``manim -ql scenes/groups.py ChannelGroups``.
"""

from __future__ import annotations

import dataclasses

from manim import FadeIn, Square, VGroup

from convmath import ConvSpec, format_int
from convmath.channels import conv_counts, separable_counts, separable_specs
from convmath.explain import format_shape
from scenes.kit.base import ConvScene
from scenes.kit.grid import segments_path
from scenes.kit.text import make_text
from scenes.layout import fit_text, px_480p
from scenes.plans import groups as groups_plan
from scenes.plans.groups import MIN_BLOCK_PX

__all__ = ["ChannelGroups", "MIN_BLOCK_PX"]


class ChannelGroups(ConvScene):
    """Standard, grouped and depthwise-separable convolutions as channel blocks and their costs.

    Facts logged: ``"screen"`` (``name``, ``pairs``: the ``(out, in)`` channel pairs joined,
    ``weights``, ``multiply_adds``) once per screen.
    """

    plan_layout = staticmethod(groups_plan.plan_layout)

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """:func:`scenes.plans.groups.check_spec`: a direct spec with channels whose blocks are
        at least :data:`MIN_BLOCK_PX` at 480p."""
        groups_plan.check_spec(spec, mode)

    # -- the story --------------------------------------------------------------------------

    def construct(self) -> None:
        self._build()
        self._standard()
        if self.spec.groups > 1:
            self._grouped()
        self._separable()
        self.close()

    def _build(self) -> None:
        s = self.spec
        self.standard = dataclasses.replace(s, groups=1)
        self.depthwise, self.pointwise = separable_specs(self.standard)
        fw, fh = self.frame_size()
        self.layout = lay = self.plan_layout(s, frame_width=fw, frame_height=fh)
        self.text_font = lay.text_font
        self.lines = VGroup()

    def _blocks(self, column: int, colors: list[str]) -> VGroup:
        """One square per channel of ``column``, filled with ``colors[k]``, numbered when the
        numbers are readable."""
        lay, th = self.layout, self.theme
        out = VGroup()
        font = 0.45 * lay.side / 0.7
        numbered = px_480p(0.5 * lay.side, lay.frame_height) >= 7.0
        for k, (x, y) in enumerate(lay.centers[column]):
            sq = Square(side_length=lay.side).move_to((x, y, 0.0))
            sq.set_fill(colors[k], opacity=1.0).set_stroke(th.grid_stroke, width=1.5)
            out.add(sq)
            if numbered:
                t = make_text(str(k + 1), font, th.text)
                out.add(fit_text(t, _inner(sq)))
        return out

    def _lines(self, a: int, b: int, pairs, colors: dict[int, str]) -> VGroup:
        """Lines from column ``a``'s block ``i`` to column ``b``'s block ``o`` for each
        ``(o, i)`` pair, in the colour of ``colors[o]``."""
        lay = self.layout
        half = lay.side / 2
        by_color: dict[str, list] = {}
        for o, i in pairs:
            (x0, y0), (x1, y1) = lay.centers[a][i], lay.centers[b][o]
            seg = ((x0 + half, y0, 0.0), (x1 - half, y1, 0.0))
            by_color.setdefault(self.theme.ink(colors[o]), []).append(seg)
        import numpy as np

        out = VGroup()
        for color, segs in by_color.items():
            path = segments_path((np.array(p), np.array(q)) for p, q in segs)
            out.add(path.set_stroke(color, width=2.0, opacity=0.9))
        return out

    def _captions(self, names: tuple[str, str, str]) -> None:
        lay = self.layout
        for n, (key, box) in enumerate(zip(names, lay.captions)):
            slot = f"cap{n}"
            if not key:
                self.narration.clear(slot) if self.narration.text_of(slot) else None
                continue
            text = self.label(key)
            if self.narration.text_of(slot) != text:
                self.say(slot, text, box, kind="label", font=lay.caption_font)

    def _count_line(self, key: str, spec: ConvSpec, **fmt) -> str:
        c = conv_counts(spec)
        return self.label(key, k=format_shape(spec.kernel_shape), nw=format_int(c.weights),
                          macs=format_int(c.multiply_adds()), **fmt)

    def _clear_texts(self) -> None:
        """What the last screen said leaves (once read) before the picture changes."""
        self.narration.clear("what")
        self.narration.clear("cost")

    def _screen(self, name: str, lines: VGroup, caption: str, counts: str, pairs) -> None:
        """Swap the lines (a cut), then say what the screen shows and what it costs."""
        self.remove(self.lines)
        self.lines = lines
        self.play(FadeIn(lines), run_time=0.6 * self.step_time)
        self.say("what", caption, self.layout.bottom[0])
        self.say("cost", counts, self.layout.bottom[1], role="muted_text", kind="equation")
        self.mark(name)
        self.record("screen", name=name, pairs=list(pairs))
        self.narration.settle()

    # -- screens ----------------------------------------------------------------------------

    def _standard(self) -> None:
        """The preview: every filter reads every input channel."""
        s, th = self.standard, self.theme
        self.inputs_col = self._blocks(0, [th.fill("input")] * s.in_channels)
        self.outputs_col = self._blocks(2, [th.fill("output")] * s.out_channels)
        pairs = s.channel_pairs()
        lines = self._lines(0, 2, pairs, {o: th.connector for o in range(s.out_channels)})
        self.say("title", self.label("groups_title"), self.layout.top[0], kind="title")
        self._captions(("groups_col_input", "", "groups_col_output"))
        self.lines = lines
        self.preview(self.inputs_col, self.outputs_col, lines, parts=("title", "grids"))
        self.wait(0.5 * self.step_time)
        self.say("what", self.label("groups_standard", c=s.in_channels), self.layout.bottom[0])
        self.say("cost", self._count_line("groups_standard_cost", s, cin=s.in_channels,
                                          cout=s.out_channels),
                 self.layout.bottom[1], role="muted_text", kind="equation")
        self.record("screen", name="standard", pairs=list(pairs))
        self.narration.settle()

    def _grouped(self) -> None:
        """Coloured groups: each filter reads only its own group's input channels."""
        s, th = self.spec, self.theme
        self._clear_texts()
        colors = th.kernel_colors(s.groups)
        cin, cout = s.in_per_group, s.out_per_group
        new_in = self._blocks(0, [th.tint(colors[c // cin]) for c in range(s.in_channels)])
        new_out = self._blocks(2, [th.tint(colors[o // cout]) for o in range(s.out_channels)])
        self.remove(self.inputs_col, self.outputs_col)
        self.inputs_col, self.outputs_col = new_in, new_out
        self.add(new_in, new_out)
        pairs = s.channel_pairs()
        lines = self._lines(0, 2, pairs, {o: colors[o // cout] for o in range(s.out_channels)})
        self._screen("groups", lines, self.label("groups_grouped", g=s.groups, c=cin),
                     self._count_line("groups_grouped_cost", s, cin=cin, cout=s.out_channels,
                                      std=format_int(conv_counts(self.standard).weights)), pairs)

    def _separable(self) -> None:
        """Depthwise (one kernel per channel) into the middle column, then 1×1 pointwise."""
        th, dw, pw = self.theme, self.depthwise, self.pointwise
        self._clear_texts()
        colors = th.kernel_colors(dw.in_channels)
        new_in = self._blocks(0, [th.tint(c) for c in colors])
        mid = self._blocks(1, [th.tint(c) for c in colors])
        new_out = self._blocks(2, [th.fill("output")] * pw.out_channels)
        self.remove(self.inputs_col, self.outputs_col)
        self.inputs_col, self.outputs_col = new_in, new_out
        self.add(new_in, mid, new_out)
        self._captions(("groups_col_input", "groups_col_depthwise", "groups_col_output"))
        depth = self._lines(0, 1, dw.channel_pairs(), dict(enumerate(colors)))
        k = format_shape(dw.kernel_shape)
        self._screen("depthwise", depth, self.label("groups_depthwise", k=k),
                     self._count_line("groups_depthwise_cost", dw, cin=dw.in_channels),
                     dw.channel_pairs())
        self._clear_texts()
        point = self._lines(1, 2, pw.channel_pairs(),
                            {o: th.connector for o in range(pw.out_channels)})
        both = VGroup(depth, point)
        self.remove(self.lines)
        self.lines = both
        self.add(depth)
        self.play(FadeIn(point), run_time=0.6 * self.step_time)
        self.say("what", self.label("groups_pointwise"), self.layout.bottom[0])
        self.say("cost", self._compare(), self.layout.bottom[1], role="muted_text",
                 kind="equation")
        self.mark("pointwise")
        self.record("screen", name="pointwise", pairs=list(pw.channel_pairs()))

    def _compare(self) -> str:
        """Separable weights (depthwise + pointwise) beside the standard convolution's."""
        d, p, total, _ = separable_counts(self.standard)
        std = conv_counts(self.standard)
        self.record("compare", separable=total, standard=std.weights)
        return self.label("groups_compare", dw=format_int(d.weights), pw=format_int(p.weights),
                          total=format_int(total), std=format_int(std.weights))


def _inner(sq: Square):
    from scenes.layout import mobject_box

    b = mobject_box(sq)
    return dataclasses.replace(b, width=0.8 * b.width, height=0.7 * b.height)
