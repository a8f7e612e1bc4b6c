"""Channels, groups and bias (issue 18) against independent oracles.

Oracles: a naive loop written below from PyTorch's documented definitions of ``Conv1d/2d`` and
``ConvTranspose1d/2d`` (batch of one, ``groups``, ``bias``), PyTorch itself when installed,
and algebraic identities (groups = independent convolutions side by side; depthwise-separable
= depthwise then 1×1; the adjoint; the block matrix).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convmath import (
    ConvMathError,
    ConvSpec,
    connectivity,
    conv_matrix,
    conv_steps,
    convolve,
    grid_kernel,
    grid_values,
    scatter_steps,
)
from convmath.channels import conv_counts, separable_specs

# ---------------------------------------------------------------------------------------------
# The naive reference (PyTorch's documentation, read literally).


def naive(x, w, spec: ConvSpec, bias=None) -> np.ndarray:
    """``out[j] = bias[j] + Σ_k weight[j, k] ⋆ input[g·C_in/groups + k]``, ``g = j // (C_out/G)``
    (``Conv``); ``ConvTranspose``: ``out[g·C_out/G + j, i·s + m·d − p] += x[c, i] · w[c, j, m]``
    for ``c`` in group ``g``. Reads only the user-facing parameters."""
    x, w = np.asarray(x, float), np.asarray(w, float)
    if not spec.has_channels:
        x, w = x[None], w[None, None]
    c_in, c_out, groups = spec.in_channels, spec.out_channels, spec.groups
    k = spec.kernel_shape
    if spec.flip:
        w = w[(slice(None), slice(None)) + (slice(None, None, -1),) * len(k)]
    pads = [pb for pb, _ in spec.pads]
    if spec.transposed:
        out_shape = tuple(
            (i - 1) * s - pb - pa + d * (kk - 1) + op + 1
            for i, kk, s, (pb, pa), d, op in zip(spec.input_shape, k, spec.stride, spec.pads,
                                                 spec.dilation, spec.resolved_output_padding))
    else:
        out_shape = tuple(
            (i + pb + pa - d * (kk - 1) - 1) // s + 1
            for i, kk, s, (pb, pa), d in zip(spec.input_shape, k, spec.stride, spec.pads,
                                            spec.dilation))
    y = np.zeros((c_out, *out_shape))
    cin_g, cout_g = c_in // groups, c_out // groups
    if not spec.transposed:
        for j in range(c_out):
            g = j // cout_g
            for o in itertools.product(*(range(n) for n in out_shape)):
                total = 0.0
                for kc in range(cin_g):
                    for m in itertools.product(*(range(n) for n in k)):
                        pos = tuple(oi * s + mi * d - p for oi, s, mi, d, p in
                                    zip(o, spec.stride, m, spec.dilation, pads))
                        if all(0 <= p < n for p, n in zip(pos, spec.input_shape)):
                            total += x[(g * cin_g + kc, *pos)] * w[(j, kc, *m)]
                y[(j, *o)] = total
    else:
        for c in range(c_in):
            g = c // cin_g
            for i in itertools.product(*(range(n) for n in spec.input_shape)):
                for j in range(cout_g):
                    for m in itertools.product(*(range(n) for n in k)):
                        pos = tuple(ii * s + mi * d - p for ii, s, mi, d, p in
                                    zip(i, spec.stride, m, spec.dilation, pads))
                        if all(0 <= p < n for p, n in zip(pos, out_shape)):
                            y[(g * cout_g + j, *pos)] += x[(c, *i)] * w[(c, j, *m)]
    if bias is not None:
        y += np.asarray(bias, float).reshape((-1,) + (1,) * len(k))
    return y if spec.has_channels else y[0]


def ints(shape, seed) -> np.ndarray:
    return np.random.default_rng(seed).integers(-3, 4, size=shape).astype(float)


# (input_shape, kernel, stride, padding, dilation, transposed, output_padding, C_in, C_out, G)
LAYOUTS = [
    ((7,), 3, 1, 0, 1, False, 0, 2, 3, 1),
    ((8,), 3, 2, 1, 1, False, 0, 4, 6, 2),
    ((9,), 2, 1, 2, 2, False, 0, 3, 3, 3),           # depthwise
    ((5,), 3, 2, 1, 1, True, 1, 4, 2, 2),
    ((4,), 2, 3, 0, 1, True, 0, 3, 6, 3),
    ((5, 6), 3, 1, 1, 1, False, 0, 3, 2, 1),
    ((6, 6), 3, 2, 0, 1, False, 0, 4, 4, 2),
    ((7, 5), (3, 2), (2, 1), (1, 0), (1, 2), False, 0, 2, 4, 2),
    ((3, 3), 3, 2, 1, 1, True, 1, 2, 3, 1),
    ((3, 4), (2, 3), (2, 1), (0, 1), 1, True, (1, 0), 4, 2, 2),
    ((5, 5), 1, 1, 0, 1, False, 0, 3, 2, 1),          # 1×1 over RGB
    ((5, 5), 3, 1, 1, 1, False, 0, 1, 1, 1),          # no channels: today's shapes
]


def layout_spec(row, flip=False) -> ConvSpec:
    shape, k, s, p, d, t, op, cin, cout, g = row
    return ConvSpec(shape, k, stride=s, padding=p, dilation=d, transposed=t, output_padding=op,
                    flip=flip, in_channels=cin, out_channels=cout, groups=g)


@pytest.mark.parametrize("flip", [False, True])
@pytest.mark.parametrize("row", LAYOUTS)
def test_convolve_matches_naive_loop(row, flip):
    spec = layout_spec(row, flip)
    x, w, b = ints(spec.x_shape, 1), ints(spec.w_shape, 2), ints((spec.out_channels,), 3)
    assert convolve(x, w, spec).shape == spec.y_shape
    np.testing.assert_allclose(convolve(x, w, spec), naive(x, w, spec), atol=1e-12)
    np.testing.assert_allclose(convolve(x, w, spec, bias=b), naive(x, w, spec, b), atol=1e-12)


@pytest.mark.parametrize("row", LAYOUTS)
def test_convolve_matches_pytorch(row):
    torch = pytest.importorskip("torch")
    fn = torch.nn.functional
    spec = layout_spec(row)
    x, w, b = ints(spec.x_shape, 4), ints(spec.w_shape, 5), ints((spec.out_channels,), 6)
    xt = torch.tensor(x if spec.has_channels else x[None], dtype=torch.float64)[None]
    wt = torch.tensor(w if spec.has_channels else w[None, None], dtype=torch.float64)
    pads = tuple(pb for pb, _ in spec.pads)
    nd = spec.ndim
    kw = dict(stride=spec.stride, dilation=spec.dilation, groups=spec.groups,
              bias=torch.tensor(b, dtype=torch.float64))
    if spec.transposed:
        f = fn.conv_transpose1d if nd == 1 else fn.conv_transpose2d
        got = f(xt, wt, padding=pads, output_padding=spec.resolved_output_padding, **kw)
    else:
        f = fn.conv1d if nd == 1 else fn.conv2d
        got = f(xt, wt, padding=pads, **kw)
    want = got[0].numpy() if spec.has_channels else got[0, 0].numpy()
    np.testing.assert_allclose(convolve(x, w, spec, bias=b), want, atol=1e-9)


def test_flip_rotates_every_slice():
    """flip=True is the mathematical convolution of each (output, input) slice pair."""
    from scipy import signal

    spec = ConvSpec((5, 6), 3, in_channels=2, out_channels=3, flip=True)
    x, w = ints(spec.x_shape, 7), ints(spec.w_shape, 8)
    want = np.stack([sum(signal.convolve2d(x[c], w[o, c], mode="valid") for c in range(2))
                     for o in range(3)])
    np.testing.assert_allclose(convolve(x, w, spec), want)


def test_no_channels_keeps_shapes_and_bias_is_a_length_one_array():
    spec = ConvSpec((5,), 2)
    assert (spec.x_shape, spec.w_shape, spec.y_shape) == ((5,), (2,), (4,))
    assert not spec.has_channels
    got = convolve([2, 1, 0, 1, 2], [1, -1], spec, bias=[10])
    np.testing.assert_array_equal(got, [11, 11, 9, 9])


# ---------------------------------------------------------------------------------------------
# Properties.


@st.composite
def grouped(draw, transposed=None):
    nd = draw(st.sampled_from([1, 2]))
    groups = draw(st.integers(1, 3))
    cin, cout = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    if cin == cout == 1:
        cout = 2  # a spec with channels (all three 1 is the single-channel case)
    shape = tuple(draw(st.integers(3, 6)) for _ in range(nd))
    k = draw(st.integers(1, 3))
    s = draw(st.integers(1, 2))
    p = draw(st.integers(0, 1))
    t = draw(st.booleans()) if transposed is None else transposed
    spec = ConvSpec(shape, k, stride=s, padding=p, transposed=t, in_channels=cin,
                    out_channels=cout, groups=groups, flip=draw(st.booleans()))
    seed = draw(st.integers(0, 10_000))
    return spec, ints(spec.x_shape, seed), ints(spec.w_shape, seed + 1)


def _one_group(spec: ConvSpec) -> ConvSpec:
    cin, cout = spec.in_per_group, spec.out_per_group
    return ConvSpec(spec.input_shape, spec.kernel_shape, stride=spec.stride, padding=spec.pads,
                    transposed=spec.transposed, output_padding=spec.resolved_output_padding,
                    flip=spec.flip, in_channels=cin, out_channels=cout, groups=1)


@given(grouped())
def test_groups_are_independent_convolutions_side_by_side(case):
    spec, x, w = case
    part = _one_group(spec)
    cin, cout, lead = spec.in_per_group, spec.out_per_group, spec.w_shape[0] // spec.groups
    pieces = []
    for g in range(spec.groups):
        xg, wg = x[g * cin:(g + 1) * cin], w[g * lead:(g + 1) * lead]
        y = convolve(xg if part.has_channels else xg[0],
                     wg if part.has_channels else wg[0, 0], part)
        pieces.append(y if part.has_channels else y[None])
    assert np.concatenate(pieces).shape[0] == spec.groups * cout
    np.testing.assert_allclose(convolve(x, w, spec), np.concatenate(pieces), atol=1e-9)


@given(st.integers(2, 4), st.integers(1, 4), st.integers(1, 2), st.integers(0, 10_000))
def test_depthwise_then_pointwise_is_a_standard_convolution(cin, cout, stride, seed):
    spec = ConvSpec((6, 5), 3, stride=stride, padding=1, in_channels=cin, out_channels=cout)
    depthwise, pointwise = separable_specs(spec)
    assert depthwise.w_shape == (cin, 1, 3, 3)
    d, p = ints(depthwise.w_shape, seed), ints(pointwise.w_shape, seed + 1)
    x = ints(spec.x_shape, seed + 2)
    two_steps = convolve(convolve(x, d, depthwise), p, pointwise)
    if not pointwise.has_channels:
        two_steps = two_steps[None]
    full = p[:, :, 0, 0][:, :, None, None] * d[:, 0][None]  # W[o, c] = p[o, c] · d[c]
    np.testing.assert_allclose(two_steps.reshape(cout, *spec.output_shape),
                               naive(x, full, spec).reshape(cout, *spec.output_shape), atol=1e-9)
    counts = conv_counts(depthwise).weights + conv_counts(pointwise).weights
    assert counts == 9 * cin + cin * cout and conv_counts(spec).weights == 9 * cin * cout


@given(grouped(transposed=False))
def test_adjoint_shares_the_weights(case):
    """<conv(x), y> == <x, conv_transpose(y)> with the same w array (PyTorch's layouts)."""
    spec, x, w = case
    adj = spec.adjoint()
    assert adj.w_shape == spec.w_shape and adj.x_shape == spec.y_shape
    y = ints(spec.y_shape, 99)
    lhs = float(np.sum(convolve(x, w, spec) * y))
    back = convolve(y, w, adj)
    assert back.shape[1:] >= spec.x_shape[1:]
    crop = (slice(None),) + tuple(slice(0, n) for n in spec.input_shape)
    assert lhs == pytest.approx(float(np.sum(back[crop] * x)), abs=1e-9)


@given(grouped(), st.integers(0, 10_000))
def test_bias_adds_one_constant_per_output_channel(case, seed):
    spec, x, w = case
    b = ints((spec.out_channels,), seed)
    diff = convolve(x, w, spec, bias=b) - convolve(x, w, spec)
    np.testing.assert_allclose(diff, np.broadcast_to(b.reshape(-1, *(1,) * spec.ndim),
                                                     spec.y_shape))


# ---------------------------------------------------------------------------------------------
# Steps and grids with channels.


@pytest.mark.parametrize("row", LAYOUTS)
def test_steps_read_every_channel_of_their_group(row):
    spec = layout_spec(row)
    x, w, b = ints(spec.x_shape, 9), ints(spec.w_shape, 10), ints((spec.out_channels,), 11)
    want = naive(x, w, spec, b)
    steps = conv_steps(x, w, spec, bias=b)
    assert len(steps) == spec.out_channels * spec.output_size
    if not spec.has_channels:
        want, w = want[None], w[None, None]
        x = x[None]
    for step in steps:
        o = step.out_channel
        assert step.value == pytest.approx(want[(o, *step.out_index)])
        assert step.bias == b[o]
        groups = spec.groups
        g = o // (spec.out_channels // groups)
        cin = spec.in_channels // groups
        assert sorted({t.in_channel for t in step.taps}) == list(range(g * cin, (g + 1) * cin))
        assert len(step.taps) == cin * spec.kernel_size
        for t in step.taps:
            lead = (t.in_channel, o - g * (spec.out_channels // groups)) if spec.transposed \
                else (o, t.in_channel - g * cin)
            assert t.w_value == w[(*lead, *t.kernel_index)]
            if t.in_index is not None:
                assert t.x_value == x[(t.in_channel, *t.in_index)]
        assert sum(t.product for t in step.taps) + step.bias == pytest.approx(step.value)
    assert [s.out_channel for s in steps] == sorted(s.out_channel for s in steps)


def test_grid_values_and_kernel_keep_channels():
    spec = ConvSpec((3, 3), 3, padding=1, in_channels=2, out_channels=2, flip=True)
    x, w = ints(spec.x_shape, 12), ints(spec.w_shape, 13)
    grid = grid_values(x, spec)
    assert grid.shape == (2, 5, 5)
    np.testing.assert_array_equal(grid[:, 1:4, 1:4], x)
    assert grid[:, 0].sum() == 0 and grid[:, :, 0].sum() == 0
    np.testing.assert_array_equal(grid_kernel(w, spec), w[:, :, ::-1, ::-1])


# ---------------------------------------------------------------------------------------------
# Errors: one line naming the parameter, the value and what is allowed.


@pytest.mark.parametrize("kwargs, param, match", [
    (dict(in_channels=0), "in_channels", r"in_channels=0 is invalid: .* from 1"),
    (dict(out_channels=-2), "out_channels", r"out_channels=-2 is invalid"),
    (dict(groups=0), "groups", r"groups=0 is invalid"),
    (dict(in_channels=2.5), "in_channels", r"in_channels=2.5 is invalid"),
    (dict(in_channels=True), "in_channels", r"in_channels=True is invalid"),
    (dict(in_channels=4, out_channels=6, groups=4), "groups",
     r"groups=4 is invalid with out_channels=6: groups must divide both"),
    (dict(in_channels=3, out_channels=6, groups=2), "groups",
     r"groups=2 is invalid with in_channels=3"),
    (dict(in_channels=10**6), "in_channels", r"in_channels=1000000 is invalid"),
    (dict(in_channels=60_000, out_channels=60_000), "out_channels",
     r"out_channels=60000 is invalid: the (result|weight array) has"),
])
def test_bad_channel_counts(kwargs, param, match):
    with pytest.raises(ConvMathError, match=match) as err:
        ConvSpec((5, 5), 3, **kwargs)
    assert err.value.param == param


@pytest.mark.parametrize("transposed", [False, True])
def test_bad_shapes_and_bias(transposed):
    spec = ConvSpec((4, 4), 3, in_channels=4, out_channels=2, groups=2, transposed=transposed)
    x, w = np.zeros(spec.x_shape), np.zeros(spec.w_shape)
    lead = r"\(in_channels, out_channels // groups" if transposed else \
        r"\(out_channels, in_channels // groups"
    cases = [
        (np.zeros((4, 4)), w, None, "x", r"x has shape \(4, 4\), which is invalid: spec.x_shape "
                                         r"\(in_channels, \*input_shape\) is \(4, 4, 4\)"),
        (x, np.zeros((2, 4, 3, 3)), None, "w", r"w has shape \(2, 4, 3, 3\), which is invalid: "
                                               rf"spec.w_shape {lead}"),
        (x, w, [1.0], "bias", r"bias has shape \(1,\), which is invalid: \(out_channels,\) is "
                              r"\(2,\)"),
        (x, w, [1.0, np.nan], "bias", r"bias is invalid: it contains NaN"),
    ]
    for xa, wa, b, param, match in cases:
        for fn in (convolve, conv_steps):
            with pytest.raises(ConvMathError, match=match) as err:
                fn(xa, wa, spec, bias=b)
            assert err.value.param == param


def test_scatter_steps_refuses_channels():
    spec = ConvSpec((4,), 2, in_channels=2, out_channels=1)
    with pytest.raises(ConvMathError, match=r"in_channels=2 is invalid for scatter_steps") as e:
        scatter_steps(np.zeros((2, 4)), np.zeros((1, 2, 2)), spec)
    assert e.value.param == "in_channels"


def test_channel_lookups():
    spec = ConvSpec((4, 4), 3, in_channels=4, out_channels=6, groups=2)
    assert list(spec.in_channels_of(4)) == [2, 3]
    assert spec.weight_slice(4, 3) == (4, 1)
    assert spec.transposed is False and spec.adjoint().weight_slice(3, 4) == (4, 1)
    with pytest.raises(ConvMathError, match="in groups 0 and 1") as err:
        spec.weight_slice(4, 0)
    assert err.value.param == "groups"
    with pytest.raises(ConvMathError, match="out_channels is 6") as err:
        spec.in_channels_of(6)
    assert err.value.param == "out_channels"


# ---------------------------------------------------------------------------------------------
# Counts.


@pytest.mark.parametrize("row", LAYOUTS)
def test_parameter_counts_match_pytorch_layers(row):
    torch = pytest.importorskip("torch")
    spec = layout_spec(row)
    nd = spec.ndim
    cls = {(1, False): torch.nn.Conv1d, (2, False): torch.nn.Conv2d,
           (1, True): torch.nn.ConvTranspose1d, (2, True): torch.nn.ConvTranspose2d}
    counts = conv_counts(spec)
    for bias in (False, True):
        layer = cls[nd, spec.transposed](spec.in_channels, spec.out_channels, spec.kernel_shape,
                                         groups=spec.groups, bias=bias)
        assert counts.parameters(bias) == sum(p.numel() for p in layer.parameters())
        assert tuple(layer.weight.shape) == (spec.w_shape if spec.has_channels else
                                             (1, 1, *spec.kernel_shape))


def _count_products(spec: ConvSpec) -> int:
    """Multiply-adds by brute force: every (weight, output cell) of a direct spec, padding
    included; every (weight, input cell) of a transposed one, cropped or not."""
    per_pair = (spec.output_size if not spec.transposed else spec.input_size) * spec.kernel_size
    pairs = sum(1 for o in range(spec.out_channels) for c in range(spec.in_channels)
                if o // (spec.out_channels // spec.groups) == c // (spec.in_channels //
                                                                   spec.groups))
    return pairs * per_pair


@pytest.mark.parametrize("row", LAYOUTS)
def test_multiply_adds(row):
    spec = layout_spec(row)
    counts = conv_counts(spec)
    assert counts.multiply_adds() == _count_products(spec)
    assert counts.multiply_adds(bias=True) == _count_products(spec) + \
        spec.out_channels * spec.output_size
    if not spec.transposed:  # a direct step has exactly `terms` taps
        steps = conv_steps(np.zeros(spec.x_shape), np.zeros(spec.w_shape), spec)
        assert sum(len(s.taps) for s in steps) == counts.multiply_adds()
        assert {len(s.taps) for s in steps} == {counts.terms}


def test_counts_of_the_mobilenet_example():
    """MobileNet §3.1's cost: D_K·D_K·M·N·D_F·D_F against D_K·D_K·M·D_F·D_F + M·N·D_F·D_F."""
    spec = ConvSpec((14, 14), 3, padding=1, in_channels=512, out_channels=512)
    depthwise, pointwise = separable_specs(spec)
    full = conv_counts(spec).multiply_adds()
    split = conv_counts(depthwise).multiply_adds() + conv_counts(pointwise).multiply_adds()
    assert full == 3 * 3 * 512 * 512 * 14 * 14
    assert split == 3 * 3 * 512 * 14 * 14 + 512 * 512 * 14 * 14


@pytest.mark.parametrize("spec, param", [
    (ConvSpec((5,), 3, in_channels=2, out_channels=2, groups=2), "groups"),
    (ConvSpec((5,), 3, in_channels=2, out_channels=2, transposed=True), "transposed"),
])
def test_separable_refuses(spec, param):
    with pytest.raises(ConvMathError, match=f"{param}=") as err:
        separable_specs(spec)
    assert err.value.param == param


# ---------------------------------------------------------------------------------------------
# The block matrix and the connectivity with channels.


@pytest.mark.parametrize("row", LAYOUTS)
def test_block_matrix_against_naive_loop(row):
    spec = layout_spec(row)
    x, w = ints(spec.x_shape, 14), ints(spec.w_shape, 15)
    dense = conv_matrix(spec).dense(w)
    assert dense.shape == (spec.out_channels * spec.output_size,
                           spec.in_channels * spec.input_size)
    np.testing.assert_allclose(dense @ x.ravel(), naive(x, w, spec).ravel(), atol=1e-12)
    # Groups: a block is zero unless its input channel feeds its output channel.
    n_out, n_in = spec.output_size, spec.input_size
    cout, cin = spec.out_channels // spec.groups, spec.in_channels // spec.groups
    for o in range(spec.out_channels):
        for c in range(spec.in_channels):
            if o // cout != c // cin:
                assert not dense[o * n_out:(o + 1) * n_out, c * n_in:(c + 1) * n_in].any()


@given(grouped())
def test_block_matrix_equals_convolve(case):
    spec, x, w = case
    np.testing.assert_allclose(conv_matrix(spec).dense(w) @ x.ravel(),
                               convolve(x, w, spec).ravel(), atol=1e-9)


@pytest.mark.parametrize("row", LAYOUTS)
def test_edges_carry_channels_and_are_the_nonzeros(row):
    spec = layout_spec(row)
    edges = connectivity(spec)
    ki = conv_matrix(spec).kernel_index
    assert len(edges) == int(np.count_nonzero(ki >= 0))
    w = np.arange(np.prod(spec.w_shape), dtype=float).reshape(spec.w_shape)
    dense = conv_matrix(spec).dense(w)
    for e in edges:
        r = e.out_channel * spec.output_size + int(np.ravel_multi_index(e.out_index,
                                                                       spec.output_shape))
        c = e.in_channel * spec.input_size + int(np.ravel_multi_index(e.in_index,
                                                                     spec.input_shape))
        lead = spec.weight_slice(e.out_channel, e.in_channel) if spec.has_channels else ()
        assert dense[r, c] == w[(*lead, *e.kernel_index)]
    keys = [(e.out_channel, e.out_index, e.in_channel) for e in edges]
    assert keys == sorted(keys)


@pytest.mark.parametrize("row", LAYOUTS)
def test_matvec_and_one_step_by_index(row):
    from convmath.ops import conv_step

    spec = layout_spec(row)
    x, w, b = ints(spec.x_shape, 16), ints(spec.w_shape, 17), ints((spec.out_channels,), 18)
    np.testing.assert_allclose(conv_matrix(spec).matvec(w, x), naive(x, w, spec).ravel(),
                               atol=1e-12)
    want = naive(x, w, spec, b)
    flat_last = spec.out_channels * spec.output_size - 1
    step = conv_step(x, w, spec, flat_last, bias=b)
    assert step.value == pytest.approx(want.ravel()[-1])
    assert step.out_channel == spec.out_channels - 1
    if spec.has_channels:
        cell = (spec.out_channels - 1, *(n - 1 for n in spec.output_shape))
        assert conv_step(x, w, spec, cell, bias=b) == step
        with pytest.raises(ConvMathError, match="index=") as err:
            conv_step(x, w, spec, cell[1:])
        assert err.value.param == "index"


# ---------------------------------------------------------------------------------------------
# explain with channels and bias.


def test_explain_writes_per_channel_sums_and_the_bias():
    from convmath import explain

    spec = ConvSpec((3, 3), 2, in_channels=2, out_channels=2)
    x = np.arange(18).reshape(2, 3, 3) % 4
    w = np.array([[[[1, 0], [0, -1]], [[1, 1], [0, 0]]], [[[0, 1], [1, 0]], [[2, 0], [0, 0]]]])
    md = explain(x, w, spec, max_steps=1, bias=[0.5, -1])
    # By hand: channel 0 window [[0,1],[3,0]]·[[1,0],[0,−1]] = 0; channel 1 [[1,2],[0,1]]·
    # [[1,1],[0,0]] = 3; plus the bias 0.5.
    assert ("`y[0,0,0] = [(0·1) + (1·0) + (3·0) + (0·(−1))] + [(1·1) + (2·1) + (0·0) + (1·0)] "
            "+ 0.5 = 0 + 3 + 0.5 = 3.5`") in md
    assert "channels 2 → 2" in md and "**x[1]**" in md and "**w[1,0]**" in md
    assert "Parameters: 18 (16 weights + 2 biases); multiply-adds: 72." in md
    assert "… 7 more steps" in md
    es = explain(x, w, spec, lang="es", max_steps=0, bias=[0.5, -1])
    assert "canales 2 → 2" in es and "Sesgo b" in es and "16 pesos + 2 sesgos" in es
    grouped_md = explain(np.zeros((2, 3)), np.zeros((2, 1, 2)),
                         ConvSpec((3,), 2, in_channels=2, out_channels=2, groups=2), max_steps=0)
    assert "in 2 groups" in grouped_md


def test_explain_single_channel_bias_and_errors():
    from convmath import explain

    md = explain([1, 2, 3], [1, 1], ConvSpec((3,), 2), bias=[2])
    assert "`y[0] = (1·1) + (2·1) + 2 = 3 + 2 = 5`" in md
    assert "(2 weights + 1 bias)" in md
    with pytest.raises(ConvMathError, match=r"bias has shape \(2,\)") as err:
        explain([1, 2, 3], [1, 1], ConvSpec((3,), 2), bias=[2, 3])
    assert err.value.param == "bias"


def test_channel_sums_and_separable_counts():
    from convmath.channels import separable_counts

    spec = ConvSpec((4, 4), 3, in_channels=3, out_channels=2)
    x, w, b = ints(spec.x_shape, 19), ints(spec.w_shape, 20), ints((2,), 21)
    for step in conv_steps(x, w, spec, bias=b):
        o, (r, c) = step.out_channel, step.out_index
        want = [float(np.sum(x[k, r:r + 3, c:c + 3] * w[o, k])) for k in range(3)]
        assert [k for k, _ in step.channel_sums()] == [0, 1, 2]
        assert [v for _, v in step.channel_sums()] == pytest.approx(want)
    d, p, weights, macs = separable_counts(spec)
    assert (d.weights, p.weights, weights) == (27, 6, 33)
    assert macs == 3 * 9 * 4 + 3 * 2 * 4
