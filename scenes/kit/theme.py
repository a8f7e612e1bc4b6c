"""The one palette of convanim: a light theme (default, for blog pages) and a dark theme.

Colours come from Okabe & Ito's colour-blind-safe set (roles: input, kernel, output, window) and
Paul Tol's schemes (one colour per kernel weight). Input, kernel, output and padding keep their
colour in every scene; a scene asks the theme, never writes a colour.

Cells are filled with the role colour at :attr:`Theme.fill_opacity` over the background, so the
same role colour gives a light tint on white and a deep shade on the dark background, and the
theme's text colour stays readable on top of both.

Text is never written in a raw role colour: :meth:`Theme.ink` darkens (light theme) or lightens
(dark theme) it until it has the WCAG 2 contrast :data:`MIN_TEXT_CONTRAST` (4.5:1) against the
background. Colours that carry meaning are checked under colour-vision-deficiency simulation
(:func:`cvd_delta_e`: Machado, Oliveira & Fernandes 2009 through ``colorspacious``, distances in
CAM02-UCS).
"""

from __future__ import annotations

from dataclasses import dataclass

from scenes.pipeline.options import THEMES as _THEME_VOCABULARY

__all__ = [
    "Theme",
    "THEMES",
    "LIGHT",
    "DARK",
    "THEME_NAMES",
    "get_theme",
    "blend",
    "hex_to_rgb",
    "relative_luminance",
    "contrast_ratio",
    "lab",
    "delta_e",
    "MIN_ROLE_DELTA_E",
    "MIN_TEXT_CONTRAST",
    "MIN_CVD_DELTA_E",
    "MIN_MARK_CONTRAST",
    "CVD_KINDS",
    "simulate_cvd",
    "cvd_delta_e",
]

#: Smallest WCAG 2 contrast ratio of any text against the background (WCAG AA, normal text).
MIN_TEXT_CONTRAST = 4.5
#: Smallest WCAG 2 contrast ratio of a mark that carries meaning (an outline, an arrow) against
#: what it is drawn on (WCAG 2.1 non-text contrast, 1.4.11).
MIN_MARK_CONTRAST = 3.0
#: Smallest CAM02-UCS colour difference between two colours that carry different meanings
#: (input, kernel, output, window) under each simulated colour-vision deficiency.
MIN_CVD_DELTA_E = 20.0
#: The simulated deficiencies (full severity): red-green, the common ones.
CVD_KINDS: tuple[str, ...] = ("deuteranomaly", "protanomaly")

#: Smallest CIE76 colour difference (ΔE*ab) between a kernel-weight colour and the input, output
#: and padding colours of its theme, so that no weight's cells read as input or output cells.
MIN_ROLE_DELTA_E = 20.0
_KERNEL_AVOIDS = ("input", "output", "padding")

# Paul Tol's "iridescent" ramp: sampled when more kernel colours are asked than a discrete
# scheme holds (a 5x5 kernel has 25 weights).
_IRIDESCENT: tuple[str, ...] = (
    "#FEFBE9", "#FCF7D5", "#F5F3C1", "#EAF0B5", "#DDECBF", "#D0E7CA", "#C2E3D2", "#B5DDD8",
    "#A8D8DC", "#9BD2E1", "#8DCBE4", "#81C4E7", "#7BBCE7", "#7EB2E4", "#88A5DD", "#9398D2",
    "#9B8AC4", "#9D7DB2", "#9A709E", "#906388", "#805770", "#684957", "#46353A",
)


def hex_to_rgb(color: str) -> tuple[float, float, float]:
    """``"#RRGGBB"`` → ``(r, g, b)`` in ``[0, 1]``."""
    c = color.lstrip("#")
    if len(c) != 6:
        raise ValueError(f"color={color!r} is invalid: expected '#RRGGBB'")
    return (int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255)


def _rgb_to_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, v)) * 255):02X}" for v in rgb)


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of ``"#RRGGBB"``."""

    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(v) for v in hex_to_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def lab(color: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65 white) of an sRGB ``"#RRGGBB"`` colour."""

    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(v) for v in hex_to_rgb(color))
    xyz = (
        (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047,
        0.2126729 * r + 0.7151522 * g + 0.0721750 * b,
        (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883,
    )
    fx, fy, fz = (t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29
                  for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference ΔE*ab of two colours (about 2.3 is just noticeable)."""
    return sum((x - y) ** 2 for x, y in zip(lab(a), lab(b))) ** 0.5


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 … 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def simulate_cvd(color: str, kind: str, severity: float = 100.0) -> str:
    """``color`` as seen with the colour-vision deficiency ``kind`` (``"deuteranomaly"``,
    ``"protanomaly"``, ``"tritanomaly"``; severity 100 = -anopia), as ``"#RRGGBB"``.

    Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of
    color vision deficiency", as implemented by ``colorspacious``.
    """
    from colorspacious import cspace_convert

    space = {"name": "sRGB1+CVD", "cvd_type": kind, "severity": float(severity)}
    rgb = cspace_convert(hex_to_rgb(color), space, "sRGB1")
    return _rgb_to_hex(tuple(float(v) for v in rgb))


def cvd_delta_e(a: str, b: str, kind: str | None = None) -> float:
    """CAM02-UCS colour difference of ``a`` and ``b`` (about 1 is just noticeable), seen with the
    deficiency ``kind`` (:func:`simulate_cvd`) or with normal vision (``None``)."""
    from colorspacious import deltaE

    if kind is not None:
        a, b = simulate_cvd(a, kind), simulate_cvd(b, kind)
    return float(deltaE(hex_to_rgb(a), hex_to_rgb(b), input_space="sRGB1"))


def blend(color: str, background: str, opacity: float) -> str:
    """``color`` drawn at ``opacity`` over ``background``, as ``"#RRGGBB"``."""
    c, bg = hex_to_rgb(color), hex_to_rgb(background)
    return _rgb_to_hex(tuple(opacity * x + (1 - opacity) * y for x, y in zip(c, bg)))


@dataclass(frozen=True, slots=True)
class Theme:
    """Every colour a scene may use, by role.

    Attributes
    ----------
    name : str
        ``"light"`` or ``"dark"``.
    background, text, muted_text : str
        Page background, main text, secondary text (captions, notes).
    input, kernel, output : str
        Role colours (cell strokes and fills, labels).
    padding : str
        Dashed outline of padding cells (muted).
    inserted_zero : str
        Zeros inserted between input cells (transposed convolution).
    window : str
        The sliding window drawn over the input (the kernel's colour family).
    highlight : str
        Emphasis: the output cell being written, the current term.
    grid_stroke : str
        Lines between cells.
    connector : str
        Lines joining the window to its output cell.
    span : str
        The dashed outline of the area a dilated window spans: a non-text mark, contrast at
        least :data:`MIN_MARK_CONTRAST` against the background and the input's fill, and apart
        from the window colour under CVD simulation (:data:`MIN_CVD_DELTA_E`).
    fill_opacity : float
        Opacity of role fills over the background.
    window_opacity : float
        Opacity of the window's fill.
    kernel_palette : tuple of str
        Discrete colour-blind-safe colours for individual kernel weights (Paul Tol), in order of
        preference; :meth:`kernel_colors` skips those too close to the input, output or padding
        colour.
    """

    name: str
    background: str
    text: str
    muted_text: str
    input: str
    kernel: str
    output: str
    padding: str
    inserted_zero: str
    window: str
    highlight: str
    grid_stroke: str
    connector: str
    span: str
    fill_opacity: float
    window_opacity: float
    kernel_palette: tuple[str, ...]

    def role_color(self, role: str) -> str:
        """The colour of ``role`` (``"input"``, ``"kernel"``, ``"output"``, ``"padding"``, …)."""
        if role not in _ROLES:
            raise ValueError(f"role={role!r} is invalid: role must be one of {', '.join(_ROLES)}")
        return getattr(self, role)

    def fill(self, role: str) -> str:
        """The solid colour a ``role`` cell shows (role colour blended over the background)."""
        return blend(self.role_color(role), self.background, self.fill_opacity)

    def tint(self, color: str) -> str:
        """``color`` as a cell fill: blended over the background at :attr:`fill_opacity`."""
        return blend(color, self.background, self.fill_opacity)

    def ink(self, color: str) -> str:
        """``color`` (a role name or ``"#RRGGBB"``) as a text colour: itself when it has
        :data:`MIN_TEXT_CONTRAST` against the background, else mixed with black (light theme) or
        white (dark theme) just enough to reach it (hue kept, so the text still reads as that
        role: teal output text on white becomes a deep teal)."""
        c = self.role_color(color) if not color.startswith("#") else color
        if contrast_ratio(c, self.background) >= MIN_TEXT_CONTRAST:
            return c
        toward = "#000000" if relative_luminance(self.background) > 0.5 else "#FFFFFF"
        for step in range(1, 101):
            mixed = blend(toward, c, step / 100)
            if contrast_ratio(mixed, self.background) >= MIN_TEXT_CONTRAST + 0.05:
                return mixed
        return toward

    def kernel_colors(self, n: int) -> list[str]:
        """``n`` distinct colours for the ``n`` weights of a kernel (row-major order).

        None is within :data:`MIN_ROLE_DELTA_E` of the theme's input, output or padding colour
        (a weight's cells never pass for input or output cells). Up to the number of such colours
        in :attr:`kernel_palette` (9) they are Paul Tol's discrete colour-blind-safe colours;
        beyond, evenly spaced samples of the usable part of Tol's "iridescent" ramp.

        Raises
        ------
        ValueError
            If ``n < 1``.
        """
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"n={n!r} is invalid: n must be an integer >= 1")
        usable = [c for c in self.kernel_palette if self._apart_from_roles(c)]
        if n <= len(usable):
            return usable[:n]
        ramp = [hex_to_rgb(c) for c in _IRIDESCENT]
        fine: list[str] = []
        m = max(8 * n, 256)
        for i in range(m):
            t = i * (len(ramp) - 1) / (m - 1)
            lo = min(int(t), len(ramp) - 2)
            f = t - lo
            c = _rgb_to_hex(tuple((1 - f) * a + f * b for a, b in zip(ramp[lo], ramp[lo + 1])))
            if self._apart_from_roles(c):
                fine.append(c)
        out = [fine[round(i * (len(fine) - 1) / (n - 1))] for i in range(n)]
        # Rounding can merge two neighbours on a long ramp: nudge duplicates apart.
        seen: set[str] = set()
        for i, c in enumerate(out):
            while c in seen:
                r, g, b = hex_to_rgb(c)
                c = _rgb_to_hex((r, g, max(0.0, b - 1 / 255)))
            out[i] = c
            seen.add(c)
        return out

    def _apart_from_roles(self, color: str) -> bool:
        """Far enough from the input, output and padding colours, and light/dark enough that
        numbers in the text colour stay readable on its tint (AA contrast)."""
        return (all(delta_e(color, self.role_color(r)) >= MIN_ROLE_DELTA_E
                    for r in _KERNEL_AVOIDS)
                and contrast_ratio(self.text, self.tint(color)) >= MIN_TEXT_CONTRAST)


_ROLES = (
    "input", "kernel", "output", "padding", "inserted_zero", "window", "highlight",
    "grid_stroke", "connector", "span", "text", "muted_text",
)

LIGHT = Theme(
    name="light",
    background="#FFFFFF",
    text="#1A1A1A",
    muted_text="#5C5C5C",
    input="#0072B2",  # Okabe–Ito blue
    kernel="#E69F00",  # Okabe–Ito orange
    output="#44AA99",  # Paul Tol teal (apart from the blue input even for tritanopes)
    padding="#7A7A7A",
    inserted_zero="#CC79A7",  # Okabe–Ito reddish purple
    window="#D55E00",  # Okabe–Ito vermillion
    highlight="#D55E00",
    grid_stroke="#3A3A3A",
    connector="#5C5C5C",
    span="#332288",  # Paul Tol indigo: 12:1 on white, far from the vermillion window
    fill_opacity=0.35,
    window_opacity=0.22,
    kernel_palette=(  # Paul Tol "muted"
        "#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99",
        "#999933", "#AA4499", "#EE99AA",  # + Tol "medium contrast" light red (teal: output)
    ),
)

DARK = Theme(
    name="dark",
    background="#1B1D21",
    text="#F2F2F2",
    muted_text="#B0B0B0",
    input="#56B4E9",  # Okabe–Ito sky blue
    kernel="#E69F00",  # Okabe–Ito orange
    output="#009E73",  # Okabe–Ito bluish green (Tol's #228833 turned olive like the ochre
    # kernel under protanopia: ΔE 17.5; this one keeps ΔE >= 20 from the kernel and the input)
    padding="#9A9A9A",
    inserted_zero="#CC79A7",
    window="#F0E442",  # Okabe–Ito yellow
    highlight="#F0E442",
    grid_stroke="#D0D0D0",
    connector="#A0A0A0",
    span="#FFAABB",  # Paul Tol light pink: 9:1 on the dark ground, apart from the yellow window
    fill_opacity=0.40,
    window_opacity=0.28,
    kernel_palette=(  # Paul Tol "light"
        "#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33",
        "#AAAA00", "#DDDDDD", "#EE3377", "#AA4499",  # + Tol magenta, purple (the blues: input)
    ),
)

THEMES: dict[str, Theme] = {"light": LIGHT, "dark": DARK}
#: The theme names, as the options' one vocabulary declares them (a test checks that every
#: name there has its palette here).
THEME_NAMES: tuple[str, ...] = _THEME_VOCABULARY


def get_theme(name: str | Theme = "light") -> Theme:
    """The theme called ``name`` (a :class:`Theme` is returned as is).

    Raises
    ------
    ValueError
        For an unknown name, listing the known ones.
    """
    if isinstance(name, Theme):
        return name
    if name not in THEMES:
        raise ValueError(f"theme={name!r} is invalid: theme must be one of 'light', 'dark'")
    return THEMES[name]
