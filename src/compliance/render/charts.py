"""Charts as PNG pictures (matplotlib), embedded identically in the PDF and the DOCX.

matplotlib is imported only here, inside the functions, so the check command never pays for
it. Output is deterministic: the Agg backend, fixed size and DPI, and no software/date
metadata in the PNG. The CJK font installed by the set-up is registered so Chinese labels
render instead of empty boxes.
"""

from __future__ import annotations

import functools
import io
import subprocess
from collections.abc import Sequence
from typing import Any

_CJK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC")


def score_colour(score: float | None) -> str:
    """Traffic-light colour of a score (also used for heat-map cells)."""
    if score is None:
        return "#DDDDDD"
    if score >= 90:
        return "#2E7D32"
    if score >= 75:
        return "#9E9D24"
    if score >= 60:
        return "#EF6C00"
    return "#C62828"


def heat_colour(score: float | None) -> str:
    """A light background for a heat-map cell, readable with black text."""
    if score is None:
        return "#EEEEEE"
    if score >= 90:
        return "#C8E6C9"
    if score >= 75:
        return "#F0F4C3"
    if score >= 60:
        return "#FFE0B2"
    return "#FFCDD2"


@functools.cache
def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    families = []
    for family in _CJK_FAMILIES:
        path = _font_file(family)
        if path:
            font_manager.fontManager.addfont(path)
            families.append(font_manager.FontProperties(fname=path).get_name())
            break
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [*families, "DejaVu Sans"],
            "svg.hashsalt": "compliance",
            "axes.unicode_minus": False,
        }
    )
    return plt


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


def _png(fig: Any) -> bytes:
    plt = _pyplot()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def bar_chart(labels: Sequence[str], values: Sequence[float | None], title: str = "") -> bytes:
    """Horizontal bars of scores 0-100, one per label, coloured by score."""
    plt = _pyplot()
    height = 0.45 * max(len(labels), 3) + 0.8
    fig, ax = plt.subplots(figsize=(7.0, height))
    shown = [v if v is not None else 0.0 for v in values]
    y = list(range(len(labels)))[::-1]
    ax.barh(y, shown, color=[score_colour(v) for v in values], height=0.6)
    # labels are data (unit names): '$' must not start TeX maths ("Budget $5 to $")
    ax.set_yticks(y, labels=list(labels), parse_math=False)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    for yi, v in zip(y, values, strict=True):
        text = "—" if v is None else f"{v:.1f}"
        if v is not None and v >= 88:  # label inside the bar, where there is room
            ax.text(v - 1.5, yi, text, va="center", ha="right", fontsize=9, color="white")
        else:
            ax.text((v or 0) + 1.5, yi, text, va="center", fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title, fontsize=11, loc="left", parse_math=False)
    fig.tight_layout()
    return _png(fig)
