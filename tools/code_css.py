"""Write themes/default/src/code.css, the colours of highlighted code, from two Pygments styles.

Usage: .venv/bin/python tools/code_css.py && make theme-assets

Each token class gets one `light-dark()` colour pair, so code follows the page's theme (the
reader's system setting or the toggle) like the rest of the default theme. Colours are darkened
or lightened until they reach 4.5:1 against the code background (WCAG AA), so axe-core passes.
"""

from __future__ import annotations

from pathlib import Path

from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES

LIGHT, DARK = "default", "github-dark"
BACKGROUNDS = {LIGHT: "#f3f4f6", DARK: "#161c23"}  # --code-bg in style.css
TARGET = Path(__file__).resolve().parents[1] / "themes" / "default" / "src" / "code.css"


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _readable(colour: str, background: str) -> str:
    """The colour, moved toward black or white (away from the background) until it reads at 4.5:1."""
    toward = 0 if _luminance(background) > 0.5 else 255
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    while _contrast("#%02x%02x%02x" % tuple(rgb), background) < 4.6:
        rgb = [round(c + (toward - c) * 0.08) for c in rgb]
    return "#%02x%02x%02x" % tuple(rgb)


def _colours(name: str) -> dict[str, tuple[str, bool, bool]]:
    """Token class -> (colour, bold, italic) for one style."""
    style = get_style_by_name(name)
    found = {}
    for token, css_class in STANDARD_TYPES.items():
        if not css_class:
            continue
        rule = style.style_for_token(token)
        if rule["color"]:
            found[css_class] = (_readable("#" + rule["color"], BACKGROUNDS[name]), rule["bold"], rule["italic"])
    return found


def stylesheet() -> str:
    light, dark = _colours(LIGHT), _colours(DARK)
    lines = ["/* Highlighted code (Pygments classes): made by tools/code_css.py from the Pygments styles",
             f"   '{LIGHT}' (light) and '{DARK}' (dark); loaded only by pages that have code. */",
             ".codehilite .linenos { color: var(--muted); padding-right: 1em; user-select: none; }",
             ".codehilite .err { border: 0; }"]
    for css_class in sorted(light.keys() | dark.keys()):
        colour_light, bold, italic = light.get(css_class, ("var(--text)", False, False))
        colour_dark = dark.get(css_class, ("var(--text)",))[0]
        extra = ("; font-weight: 700" if bold else "") + ("; font-style: italic" if italic else "")
        lines.append(f".codehilite .{css_class} {{ color: light-dark({colour_light}, {colour_dark}){extra} }}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    TARGET.write_text(stylesheet(), encoding="utf-8")
    print(f"wrote {TARGET}")
