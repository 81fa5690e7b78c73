"""Charts as PNG pictures, embedded identically in the PDF and the DOCX.

Drawn with Pillow (already needed by WeasyPrint): a horizontal bar chart is a few rectangles
and texts, and Pillow draws it in milliseconds, where importing matplotlib alone cost 1-2 s of
every report. Output is deterministic: fixed size and resolution, no metadata in the PNG.
Labels are drawn as plain text (no TeX maths: ``Budget $5 to $`` prints as written), with the
CJK font the set-up installs, and cut with an ellipsis when too long for the label column.
"""

from __future__ import annotations

import functools
import io
import subprocess
from collections.abc import Collection, Sequence
from typing import Any

_CJK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC")
_DPI = 150
_WIDTH = 7 * _DPI  # 7 inches, shown 14-15 cm wide
_ROW = round(0.45 * _DPI)  # one bar and its gap
_LABEL_SHARE = 0.42  # at most this share of the width for the label column
_TEXT = (0x26, 0x26, 0x26)
_AXIS = (0x55, 0x55, 0x55)


# Score bands, best first: a score of at least 90, 75, 60, and below 60.
_BANDS = (90, 75, 60)


def _band(score: float) -> int:
    return next((i for i, low in enumerate(_BANDS) if score >= low), len(_BANDS))


def score_colour(score: float | None) -> str:
    """Traffic-light colour of a score (also used for heat-map cells)."""
    if score is None:
        return "#DDDDDD"
    return ("#2E7D32", "#9E9D24", "#EF6C00", "#C62828")[_band(score)]


def heat_colour(score: float | None) -> str:
    """A light background for a heat-map cell, readable with black text."""
    if score is None:
        return "#EEEEEE"
    return ("#C8E6C9", "#F0F4C3", "#FFE0B2", "#FFCDD2")[_band(score)]


@functools.cache
def _font_path() -> str | None:
    """The CJK font fontconfig finds (Latin text is drawn with it too), else None."""
    for family in _CJK_FAMILIES:
        path = _font_file(family)
        if path:
            return path
    return None


def _font_file(family: str) -> str | None:
    """Path of the font fontconfig picks for ``family``, if it really is a CJK font."""
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", f"{family}:lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    path = out.stdout.strip()
    cjk = ("wqy", "cjk", "han", "noto-sans-sc", "notosanssc")
    return path if path and any(k in path.lower() for k in cjk) else None


@functools.cache
def _font(points: float) -> Any:
    from PIL import ImageFont

    size = round(points * _DPI / 72)
    path = _font_path()
    if path is not None:
        try:
            return ImageFont.truetype(path, size, index=0)
        except OSError:
            pass
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size)


def fit(text: str, font: Any, width: float) -> str:
    """``text`` on one line, cut with an ellipsis so that it is at most ``width`` pixels wide."""
    text = " ".join(text.split())[:300]  # no chart label needs more; keeps measuring cheap
    if font.getlength(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        mid = (low + high + 1) // 2
        if font.getlength(text[:mid] + "…") <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    title: str = "",
    gaps: Collection[int] = (),
) -> bytes:
    """Horizontal bars of scores 0-100, one per label, coloured by score.

    Rows whose index is in ``gaps`` show their label only (say, "... 940 more units ...").
    """
    from PIL import Image, ImageDraw

    tick_font, value_font, title_font = _font(10), _font(9), _font(11)
    n = len(labels)
    # many bars get thinner rows so the chart still fits on a page (about 9 inches of bars)
    row = _ROW if n <= 18 else max(round(9 * _DPI / n), 40)
    top = 20 + (round(title_font.size * 1.8) if title else 0)
    bottom = round(tick_font.size * 2.2)
    height = top + row * max(n, 3) + bottom
    image = Image.new("RGB", (_WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    if title:
        draw.text((12, 12), fit(title, title_font, _WIDTH - 24), fill=_TEXT, font=title_font)
    shown = [fit(str(label), tick_font, _WIDTH * _LABEL_SHARE) for label in labels]
    left = 24 + max((tick_font.getlength(s) for s in shown), default=0)
    right = _WIDTH - 40
    span = right - left
    axis_y = top + row * max(n, 3)
    for i, (label, value) in enumerate(zip(shown, values, strict=True)):
        mid = top + row * i + row // 2
        if i in gaps:
            draw.text((left - 12, mid), label, fill=_AXIS, font=tick_font, anchor="rm")
            continue
        draw.text((left - 12, mid), label, fill=_TEXT, font=tick_font, anchor="rm")
        draw.line([(left - 6, mid), (left, mid)], fill=_AXIS, width=2)
        x = left + span * max(0.0, min(value or 0.0, 100.0)) / 100
        half = round(row * 0.3)
        if x > left:
            draw.rectangle([left, mid - half, x, mid + half], fill=score_colour(value))
        text = "—" if value is None else f"{value:.1f}"
        if value is not None and value >= 88:  # inside the bar, where there is room
            draw.text((x - 10, mid), text, fill="white", font=value_font, anchor="rm")
        else:
            draw.text((x + 10, mid), text, fill=_TEXT, font=value_font, anchor="lm")
    draw.line([(left, top), (left, axis_y)], fill=_AXIS, width=2)
    draw.line([(left, axis_y), (right, axis_y)], fill=_AXIS, width=2)
    for tick in range(0, 101, 20):
        x = left + span * tick / 100
        draw.line([(x, axis_y), (x, axis_y + 8)], fill=_AXIS, width=2)
        draw.text((x, axis_y + 10), str(tick), fill=_TEXT, font=tick_font, anchor="ma")
    buf = io.BytesIO()
    image.save(buf, format="PNG", dpi=(_DPI, _DPI))
    return buf.getvalue()
