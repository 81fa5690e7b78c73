"""Charts as PNG pictures, embedded identically in the PDF and the DOCX: one technique for all.

Every chart (the bar charts of scores here, the trend charts in ``progress_charts``) is drawn
with matplotlib's object API: a ``Figure`` on an Agg canvas, never ``pyplot`` and its global
state. The choice was measured (2-core machine, CPU seconds): importing ``matplotlib.figure``
and the Agg backend costs about 0.5 s, drawing a chart about 0.07 s; Pillow drew the bars in
about 0.03 s, but by hand (axes, ticks, label fitting), and could not draw the trend lines, so
the documents had two techniques. HTML/CSS bars would cost nothing in the PDF but cannot draw a
line chart, and the DOCX writer would have to learn a second way of showing each of them.

The import is kept off the critical path: a document's charts are drawn in a forked child
process (:func:`draw_later`) while this process lays the document out, so a single report
waits for neither the import nor the drawing; only a process that draws a second document's
charts imports matplotlib itself (once). Where ``fork`` is not available, charts are drawn
in this process.

Output is deterministic: fixed size and resolution, no ``Software`` metadata in the PNG.
Every text is drawn with ``parse_math=False`` (``Budget $5 to $`` prints as typed, not as TeX
maths), with the CJK font the set-up installs given explicitly, and labels too long for the
label column are cut with an ellipsis.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import subprocess
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from compliance.render.frames import read_frame, write_frame

_CJK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC")
DPI = 150
_WIDTH = 7.0  # inches, shown 14-15 cm wide
_ROW = 0.45  # inches: one bar and its gap
_LABEL_SHARE = 0.42  # at most this share of the width for the label column
_TEXT = "#262626"
_AXIS = "#555555"

Chart = Callable[[], bytes]


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
def font_path() -> str | None:
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
def _matplotlib() -> Any:
    """matplotlib with the CJK font registered and set as the first sans-serif family."""
    import matplotlib
    from matplotlib import font_manager

    families = []
    path = font_path()
    if path is not None:
        font_manager.fontManager.addfont(path)
        families.append(font_manager.FontProperties(fname=path).get_name())
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [*families, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "text.parse_math": False,  # labels are data; set on each text below as well
        }
    )
    return matplotlib


def figure(width: float, height: float) -> tuple[Any, Any]:
    """A new ``Figure`` (inches) on its own Agg canvas, and its one axes."""
    _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def plain_texts(ax: Any) -> None:
    """No mathtext anywhere: tick labels, title and legend are data."""
    texts = [*ax.get_xticklabels(), *ax.get_yticklabels(), ax.title]
    legend = ax.get_legend()
    if legend is not None:
        texts += legend.get_texts()
    for t in texts:
        t.set_parse_math(False)


def png(fig: Any, tight: bool = True) -> bytes:
    """The figure as PNG bytes: fixed resolution, no ``Software`` metadata."""
    buf = io.BytesIO()
    if tight:
        fig.tight_layout()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def text_width(text: str, points: float) -> float:
    """Width in pixels (at the charts' resolution) of ``text`` in the charts' font."""
    _matplotlib()
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    width, _, _ = TextToPath().get_text_width_height_descent(
        text, FontProperties(size=points), ismath=False
    )
    return float(width) * DPI / 72


def fit(text: str, points: float, width: float) -> str:
    """``text`` on one line, cut with an ellipsis so that it is at most ``width`` pixels wide."""
    text = " ".join(text.split())[:300]  # no chart label needs more; keeps measuring cheap
    if text_width(text, points) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        mid = (low + high + 1) // 2
        if text_width(text[:mid] + "…", points) <= width:
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
    n = len(labels)
    # many bars get thinner rows so the chart still fits on a page (about 9 inches of bars)
    row = _ROW if n <= 18 else max(9 / n, 0.27)
    height = row * max(n, 3) + 0.55 + (0.35 if title else 0)
    fig, ax = figure(_WIDTH, height)
    shown = [fit(str(label), 10, _WIDTH * DPI * _LABEL_SHARE) for label in labels]
    rows = range(n)
    bars = [0.0 if i in gaps else max(0.0, min(v or 0.0, 100.0)) for i, v in enumerate(values)]
    ax.barh(rows, bars, height=0.6, color=[score_colour(v) for v in values], linewidth=0)
    for i, value in enumerate(values):
        if i in gaps:
            continue
        text = "—" if value is None else f"{value:.1f}"
        inside = value is not None and value >= 88  # inside the bar, where there is room
        ax.annotate(
            text,
            (bars[i], i),
            xytext=(-4 if inside else 4, 0),
            textcoords="offset points",
            ha="right" if inside else "left",
            va="center",
            fontsize=9,
            color="white" if inside else _TEXT,
            parse_math=False,
            annotation_clip=False,
        )
    ax.set_yticks(list(rows), labels=shown, fontsize=10, color=_TEXT)
    for i in gaps:
        ax.get_yticklabels()[i].set_color(_AXIS)
        ax.get_yticklines()[2 * i].set_visible(False)
    ax.set_ylim(max(n, 3) - 0.5, -0.5)  # first label on top; short charts keep their row height
    ax.set_xlim(0, 100)
    ax.set_xticks(range(0, 101, 20))
    ax.tick_params(labelsize=10, colors=_AXIS, labelcolor=_TEXT)
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines[["left", "bottom"]].set_color(_AXIS)
    if title:
        ax.set_title(fit(title, 11, _WIDTH * DPI - 24), fontsize=11, loc="left", color=_TEXT,
                     parse_math=False)  # fmt: skip
    plain_texts(ax)
    return png(fig)


_FORKED = False  # at most one child imports matplotlib for this process


def draw_later(
    jobs: Mapping[str, tuple[Callable[..., bytes], tuple[Any, ...]]],
) -> dict[str, Chart]:
    """Start drawing each chart ``name: (function, args)``; return ``name: result`` callables.

    While matplotlib is not imported yet, the first call draws its charts in a forked child
    process, so that the import and the drawing run beside this process's layout work; the
    results are read when the document needs the pictures. Later calls, other systems, and a
    child that fails (the chart is then drawn here, where its error shows) draw in-process.
    """
    global _FORKED
    if _FORKED or "matplotlib.figure" in sys.modules or not sys.platform.startswith("linux"):
        return {name: _now(fn, args) for name, (fn, args) in jobs.items()}
    _FORKED = True
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: draw, send, and leave without running the parent's exit handlers
        status = 1
        try:
            os.close(read)
            with os.fdopen(write, "wb") as out:
                for fn, args in jobs.values():
                    data = fn(*args)
                    write_frame(out, data)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    results: dict[str, bytes] = {}

    def collect() -> None:
        drawn: list[bytes] = []
        with os.fdopen(read, "rb") as pipe, contextlib.suppress(EOFError):
            while len(drawn) < len(jobs):
                drawn.append(read_frame(pipe))
        _, status = os.waitpid(pid, 0)
        if status == 0:  # a child that failed: its pictures are not trusted, all drawn here
            results.update(zip(jobs, drawn, strict=False))
        for name, (fn, args) in jobs.items():  # what the child could not draw is drawn here
            if name not in results:
                results[name] = fn(*args)

    def result(name: str) -> Chart:
        def get() -> bytes:
            if not results:
                collect()
            return results[name]

        return get

    return {name: result(name) for name in jobs}


def _now(fn: Callable[..., bytes], args: tuple[Any, ...]) -> Chart:
    data = fn(*args)
    return lambda: data
