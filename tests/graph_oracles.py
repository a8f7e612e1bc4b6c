"""Independent oracles of the graph scenes' tests (Connectivity, Superposition): the edges from a
brute-force loop over the definition ``out = in·s + m·d − p``, a naive scatter for the transposed
convolution (PyTorch's ConvTranspose) and ``scipy.signal`` for the direct one."""

from __future__ import annotations

import itertools

import numpy as np
from scipy import signal

from convmath import ConvSpec

__all__ = ["oracle_edges", "naive_transposed", "scipy_direct", "naive_matrix"]

def oracle_edges(spec: ConvSpec) -> set[tuple[int, int, int]]:
    """(in flat, out flat, kernel flat) by brute force over the definition, per axis.

    Direct: output ``o`` reads padded position ``o·s + m·d``, i.e. input ``o·s + m·d − p``;
    transposed: input ``j`` writes output ``j·s + m·d − p``. ``flip`` uses weight ``k−1−m``.
    """
    axes = []
    for a in range(spec.ndim):
        i, o = spec.input_shape[a], spec.output_shape[a]
        k, s, d = spec.kernel_shape[a], spec.stride[a], spec.dilation[a]
        p = spec.pads[a][0]
        links = []
        for j, n, m in itertools.product(range(i), range(o), range(k)):
            hit = (j == n * s + m * d - p) if not spec.transposed else (n == j * s + m * d - p)
            if hit:
                links.append((j, n, k - 1 - m if spec.flip else m))
        axes.append(links)
    out = set()
    for combo in itertools.product(*axes):
        j = tuple(c[0] for c in combo)
        n = tuple(c[1] for c in combo)
        m = tuple(c[2] for c in combo)
        out.add((int(np.ravel_multi_index(j, spec.input_shape)),
                 int(np.ravel_multi_index(n, spec.output_shape)),
                 int(np.ravel_multi_index(m, spec.kernel_shape))))
    return out


def naive_transposed(x: np.ndarray, w: np.ndarray, spec: ConvSpec, crop: bool = True):
    """PyTorch ConvTranspose by a naive scatter onto the full canvas, then cropping."""
    wu = np.flip(w) if spec.flip else w
    full_shape = tuple(
        (i - 1) * s + d * (k - 1) + 1 + op
        for i, s, d, k, op in zip(spec.input_shape, spec.stride, spec.dilation,
                                  spec.kernel_shape, spec.resolved_output_padding)
    )
    full = np.zeros(full_shape)
    for j in np.ndindex(*x.shape):
        for m in np.ndindex(*wu.shape):
            o = tuple(ji * s + mi * d for ji, mi, s, d in zip(j, m, spec.stride, spec.dilation))
            full[o] += x[j] * wu[m]
    if not crop:
        return full
    sl = tuple(slice(pb, pb + o) for (pb, _), o in zip(spec.pads, spec.output_shape))
    return full[sl]


def scipy_direct(x: np.ndarray, w: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """Direct cross-correlation (dilation 1) by scipy on the padded input, then the stride."""
    xp = np.pad(x, spec.pads)
    full = signal.correlate(xp, np.flip(w) if spec.flip else w, mode="valid")
    return full[tuple(slice(None, None, s) for s in spec.stride)]


def naive_matrix(spec: ConvSpec, w: np.ndarray) -> np.ndarray:
    """The dense conv matrix (output flat × input flat) by loops over the definition: direct,
    output ``n`` reads input ``n·s + m·d − p`` with weight ``w[m]``; transposed, input ``j``
    writes output ``j·s + m·d − p``. ``flip`` reads ``w`` rotated 180°."""
    wu = np.flip(w) if spec.flip else w
    c = np.zeros((spec.output_size, spec.input_size))
    for m in np.ndindex(*wu.shape):
        outer = spec.input_shape if spec.transposed else spec.output_shape
        for a in np.ndindex(*outer):
            b = tuple(ai * s + mi * d - p for ai, mi, s, d, (p, _) in
                      zip(a, m, spec.stride, spec.dilation, spec.pads))
            inner = spec.output_shape if spec.transposed else spec.input_shape
            if all(0 <= bi < n for bi, n in zip(b, inner)):
                j, n = (a, b) if spec.transposed else (b, a)
                c[np.ravel_multi_index(n, spec.output_shape),
                  np.ravel_multi_index(j, spec.input_shape)] += wu[m]
    return c
