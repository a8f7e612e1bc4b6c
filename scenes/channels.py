"""`ChannelFilter`: a filter of several kernels slides through every input channel at once.

The input channels are a stack of grids in perspective; one filter is a stack of kernels, one per
input channel of its group; its window is a box through every channel. Each step the products of
every channel are summed per channel, those sums and the filter's bias give one output cell; the
next filter makes the next output channel. Every number comes from the engine: the drawn grids
(``grid_values``, ``grid_input_index``), the steps with their taps per input channel and the bias
(``conv_steps(x, w, spec, bias)``, ``ConvStep.channel_sums``), the result (``convolve``) and the
counts (``convmath.channels.conv_counts``).

Run with defaults: ``manim -ql scenes/channels.py ChannelFilter``.
"""

from __future__ import annotations

import numpy as np
from manim import FadeIn, Transform, VGroup

from convmath import ConvSpec, conv_steps, convolve, format_number, grid_input_index, grid_values
from convmath.channels import conv_counts
from convmath.explain import format_shape
from scenes.kit.base import ConvScene
from scenes.kit.grid import CellGrid, segments_path
from scenes.kit.pacing import Pacer, Phase, plan_pacing
from scenes.kit.text import text_lines
from scenes.layout import value_chars
from scenes.plans import channels as channels_plan

__all__ = ["ChannelFilter", "pacing_indices"]


def pacing_indices(spec: ConvSpec) -> list[tuple[int, ...]]:
    """One index per step (output channel major) whose first axis never repeats across output
    channels, so the pacer's rows never join two channels: ``(o·rows + r, c)`` / ``(o·n + j,)``."""
    rows = spec.output_shape[0]
    return [(o * rows + cell[0], *cell[1:]) for o in range(spec.out_channels)
            for cell in np.ndindex(*spec.output_shape)]


class ChannelFilter(ConvScene):
    """Multi-channel convolution: input stack, one filter at a time, output channels.

    The story (:meth:`construct`): the preview (title, the three stacks, the window box on its
    first position); the parameter and multiply-add counts; the steps, paced by the kit (the first
    in full with the per-channel sums and the bias, then quicker, whole rows for long runs), the
    filter changing by a cut when the next output channel begins; the closing hold.

    Facts logged: ``"filter"`` (``out_channel``, ``slices``: the kernels shown),
    ``"channel_sums"`` (``step``, ``sums``, ``bias``, ``value``) and ``"counts"``.
    """

    # -- plan (scenes.plans.channels: static, manim-free) ----------------------------------

    plan_layout = staticmethod(channels_plan.plan_layout)

    @classmethod
    def check_spec(cls, spec: ConvSpec, mode: str = "numeric") -> None:
        """:func:`scenes.plans.channels.check_spec` (cells of :meth:`plan_layout` at 480p), the
        message naming this class."""
        channels_plan.check_spec(spec, mode, name=cls.__name__)

    # -- the story --------------------------------------------------------------------------

    def construct(self) -> None:
        self._build()
        self._preview()
        self._counts()
        self._run_steps()
        self.close()

    def _build(self) -> None:
        s = self.spec
        self.steps = conv_steps(self.x, self.w, s, bias=self.bias)
        self.result = convolve(self.x, self.w, s, bias=self.bias)
        self.b = np.zeros(s.out_channels) if self.bias is None else self.bias
        x3 = self.x if s.has_channels else self.x[None]
        fw, fh = self.frame_size()
        lay = self.plan_layout(s, frame_width=fw, frame_height=fh, numeric=self.numeric,
                               chars=value_chars(x3, self.weights.values, self.result))
        self.layout, self.text_font = lay, lay.text_font
        font = lay.value_font if lay.numeric else None
        self.font = font
        gvals = grid_values(self.x, s).reshape(s.in_channels, *s.grid_shape)
        kinds = grid_input_index(s)
        inp, _, out = lay.stacks
        self.layers = [CellGrid(s.grid_shape, lay.cell, theme=self.theme, role="input",
                                kinds=kinds, values=gvals[c], value_font=font if c == 0 else None,
                                center=(*inp.centers[c], 0.0)) for c in range(s.in_channels)]
        self.layers[0].set_z_index(1)  # the front layer above the window's edges
        self.outputs = [CellGrid(s.output_shape, lay.cell, theme=self.theme, role="output",
                                 filled=False, value_font=font, center=(*out.centers[o], 0.0))
                        for o in range(s.out_channels)]
        self.filter_oc = 0
        self.filter = self._filter(0)
        self.output_texts: dict[tuple[int, tuple[int, ...]], object] = {}

    def _weights(self, oc: int, shown: bool = False) -> list[np.ndarray]:
        """The kernels of filter ``oc``, one per input channel of its group (``shown``: as
        drawn, a kernel of fractions as its integers: :attr:`weights`)."""
        w = self.weights.values if shown else self.w
        w = w if self.spec.has_channels else w[None, None]
        return [w[self.spec.weight_slice(oc, c)] for c in self.spec.in_channels_of(oc)]

    def _filter(self, oc: int) -> VGroup:
        """Filter ``oc`` as a stack of kernels (front: its first input channel)."""
        lay, s = self.layout, self.spec
        slot = lay.stacks[1]
        grids = [CellGrid(s.kernel_shape, lay.cell, theme=self.theme, role="kernel", values=k,
                          value_font=self.font if j == 0 else None,
                          center=(*slot.centers[j], 0.0))
                 for j, k in enumerate(self._weights(oc, shown=True))]
        self.record("filter", out_channel=oc, slices=[k.copy() for k in self._weights(oc)])
        return VGroup(*reversed(grids))  # the back layers first: the front one is drawn on top

    def _filter_caption(self, oc: int) -> str:
        """Filter ``oc``'s caption; a filter of fractions says its factor (issue 12 #7)."""
        f, s = self.weights.factor_text, self.spec
        key = "channels_filter_caption" if f is None else "channels_filter_caption_factor"
        return self.label(key, o=oc + 1, n=s.out_channels, c=s.in_per_group,
                          b=format_number(self.b[oc]), factor=f)

    def _captions(self, oc: int) -> list[str]:
        s = self.spec
        return [
            self.label("channels_input_caption", c=s.in_channels, shape=format_shape(s.grid_shape)),
            self._filter_caption(oc),
            self.label("channels_output_caption", c=s.out_channels,
                       shape=format_shape(s.output_shape)),
        ]

    def _show_captions(self, oc: int) -> None:
        boxes = [st.caption for st in self.layout.stacks]
        strings = self._captions(oc)
        mobs = text_lines(strings, boxes, self.layout.caption_font, self.theme.ink("text"))
        for key, mob, text in zip(("cap_in", "cap_f", "cap_out"), mobs, strings):
            if oc == 0 or key == "cap_f":
                self.narration.show(key, mob, text, kind="label")

    def _preview(self) -> None:
        self.say("title", self.label("channels_title", cin=self.spec.in_channels,
                                     cout=self.spec.out_channels), self.layout.top[0],
                 kind="title")
        self._show_captions(0)
        self.window = self._window(0)
        self.preview(*reversed(self.layers), self.filter, *self.outputs, self.window,
                     parts=("title", "grids", "window"))
        self.wait(0.8 * self.step_time)

    def _counts(self) -> None:
        """What the layer costs, said once and kept: parameters and multiply-adds."""
        s, c = self.spec, conv_counts(self.spec)
        bias = self.bias is not None
        # with a bias the count says what it holds: products per cell · cells + the additions
        key = "channels_counts_bias" if bias and not s.transposed else "channels_counts"
        line = self.label(key, k=format_shape(s.kernel_shape), cin=s.in_per_group,
                          cout=s.out_channels, nw=c.weights, nb=c.biases if bias else 0,
                          p=c.parameters(bias), macs=c.multiply_adds(bias), nt=c.terms,
                          no=c.outputs)
        self.record("counts", parameters=c.parameters(bias), multiply_adds=c.multiply_adds(bias))
        self.say("counts", line, self.layout.bottom[1], role="muted_text", kind="caption")

    # -- the window box ---------------------------------------------------------------------

    def _cells(self, steps: tuple[int, ...]) -> list[tuple[int, ...]]:
        """Grid cells of ``steps`` (one input channel's taps; a row band: each cell once)."""
        first = self.steps[steps[0]]
        c0 = first.taps[0].in_channel
        cells = [t.grid_index for n in steps for t in self.steps[n].taps if t.in_channel == c0]
        return list(dict.fromkeys(cells))

    def _window(self, *steps: int) -> VGroup:
        """The window as a box through every input channel of the group: one outline per layer
        and the four edges joining the front and the back outline."""
        st = self.steps[steps[0]]
        cells = self._cells(tuple(steps))
        chans = list(self.spec.in_channels_of(st.out_channel))
        wins = [self.layers[c].get_window(cells, stroke_width=3.0 if k == 0 else 1.5,
                                          fill_opacity=None if k == 0 else 0.0)
                for k, c in enumerate(chans)]
        front = self.layers[chans[0]].cells_box(cells)
        back = self.layers[chans[-1]].cells_box(cells)
        corners = [(front.left, front.top, back.left, back.top),
                   (front.right, front.top, back.right, back.top),
                   (front.left, front.bottom, back.left, back.bottom),
                   (front.right, front.bottom, back.right, back.bottom)]
        edges = segments_path((np.array([a, b, 0.0]), np.array([c, d, 0.0]))
                              for a, b, c, d in corners)
        edges.set_stroke(self.theme.window, width=2.0)
        # the edges run behind the front layer (drawn above them, digits included) and its
        # outline: no digit is crossed; they show between the layers and beyond the front one
        edges.set_z_index(0.5)
        wins[0].set_z_index(2)
        return VGroup(*reversed(wins), edges)

    # -- StepView ---------------------------------------------------------------------------

    def land(self, steps: tuple[int, ...], jump: bool) -> list:
        oc = self.steps[steps[0]].out_channel
        new = self._window(*steps)
        if oc != self.filter_oc:  # the next filter: a cut, then the caption says which
            self.remove(self.filter)
            self.filter_oc, self.filter = oc, self._filter(oc)
            self.add(self.filter)
            self._show_captions(oc)
            jump = True
        if jump or len(steps) > 1 or len(new) != len(self.window):
            self.remove(self.window)
            self.window = new
            self.add(new)
            return []
        return [Transform(self.window, new)]

    def where(self, step: int):
        st = self.steps[step]
        cells = tuple(t.grid_index for t in st.taps if t.in_channel == st.taps[0].in_channel)
        centers = tuple(tuple(self.layers[st.taps[0].in_channel].cell_center(c)) for c in cells)
        return self.pacing[step], cells, centers

    def products(self, step: int) -> list[str] | None:
        st = self.steps[step]
        sums = st.channel_sums()
        terms = " + ".join(self.label("channels_sum_term", c=c + 1, v=self._channel_sum(st, c, v))
                           for c, v in sums)
        line = self.label("channels_step", o=st.out_channel + 1, terms=terms,
                          b=_paren(st.bias), y=format_number(st.value))
        self.record("channel_sums", step=step, sums=sums, bias=st.bias, value=st.value)
        self.say("eq", line, self.layout.bottom[0], kind="worked")
        return [line]

    def _channel_sum(self, st, c: int, v: float) -> str:
        """Channel ``c``'s sum as written: ``0.78``, or with a kernel of fractions exactly,
        ``1/9·7`` (its products in the kernel's integers), so the sums add up as shown."""
        f = self.weights.factor_text
        if f is None:
            return _paren(v)
        inner = self.weights.inner((t.x_value, t.w_value) for t in st.taps if t.in_channel == c)
        return f"{f}·{_paren(inner)}"

    def write(self, steps: tuple[int, ...]) -> list:
        anims = []
        for n in steps:
            st = self.steps[n]
            g = self.outputs[st.out_channel]
            sq = g.get_cell(st.out_index, color=self.theme.grid_stroke, stroke_width=2)
            sq.set_fill(self.theme.fill("output"), opacity=1.0)
            anims.append(FadeIn(sq))
            if self.font is not None:
                t = g.value_text(st.out_index, st.value, font_size=self.font)
                t.z_index = 1
                self.output_texts[(st.out_channel, st.out_index)] = t
                anims.append(FadeIn(t))
        return anims

    def result_text(self, step: int) -> str | None:
        st = self.steps[step]
        t = self.output_texts.get((st.out_channel, st.out_index))
        return None if t is None else t.text

    def announce(self, phase: Phase) -> None:
        self.narration.clear("eq")
        self.say_pace(phase, self.layout.bottom[0])

    def _run_steps(self) -> None:
        """The paced run (``where`` reports :func:`pacing_indices`, so a new row of any output
        channel comes by a cut)."""
        self.pacing = pacing_indices(self.spec)
        Pacer(self, self).run(plan_pacing(self.pacing))
        self.wait(0.3 * self.step_time)


def _paren(v: float) -> str:
    s = format_number(v)
    return f"({s})" if v < 0 else s
