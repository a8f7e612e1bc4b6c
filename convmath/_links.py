"""The one index relation behind the matrix, the connectivity and the superposition view.

Direct: output ``o`` reads input ``o·s + m·d − p_before`` through kernel offset ``m``.
Transposed (the adjoint): input ``i`` writes output ``i·s + m·d − p_before`` through offset ``m``.
With ``flip=True`` offset ``m`` uses weight ``k−1−m`` of the user's kernel.
"""

from __future__ import annotations

import itertools

from convmath.spec import ConvSpec

__all__ = ["axis_links", "links"]

Link = tuple[int, int, int]


def axis_links(spec: ConvSpec, axis: int) -> tuple[Link, ...]:
    """``(in, out, kernel_index)`` triples of one axis, ordered by output then kernel offset."""
    i, o = spec.input_shape[axis], spec.output_shape[axis]
    k, s, d = spec.kernel_shape[axis], spec.stride[axis], spec.dilation[axis]
    pb = spec.pads[axis][0]
    out: list[Link] = []
    if not spec.transposed:
        for n in range(o):
            for m in range(k):
                j = n * s + m * d - pb
                if 0 <= j < i:
                    out.append((j, n, k - 1 - m if spec.flip else m))
    else:
        for j in range(i):
            for m in range(k):
                n = j * s + m * d - pb
                if 0 <= n < o:
                    out.append((j, n, k - 1 - m if spec.flip else m))
        out.sort(key=lambda t: (t[1], t[2] if not spec.flip else k - 1 - t[2]))
    return tuple(out)


def links(spec: ConvSpec) -> tuple[tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]], ...]:
    """All ``(in_index, out_index, kernel_index)`` tuples, ordered by output (row-major)."""
    per_axis = [axis_links(spec, a) for a in range(spec.ndim)]
    combined = (
        (tuple(t[0] for t in combo), tuple(t[1] for t in combo), tuple(t[2] for t in combo))
        for combo in itertools.product(*per_axis)
    )
    return tuple(sorted(combined, key=lambda e: e[1]))
