"""Progress charts (score trend, open findings by severity) as deterministic PNG pictures.

Built like every chart (:mod:`compliance.render.charts`): matplotlib's object API (a
``Figure`` on an Agg canvas, no pyplot state), every text with ``parse_math=False`` so a unit
named ``$x$`` prints as typed, the CJK font given explicitly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from compliance.render.charts import figure, plain_texts, png

_LINE_COLOURS = (
    "#1565C0", "#2E7D32", "#C62828", "#6A1B9A", "#EF6C00", "#00838F",
    "#4E342E", "#AD1457", "#558B2F", "#283593", "#F9A825",
)  # fmt: skip


def trend_chart(dates: Sequence[str], series: Mapping[str, Sequence[float | None]]) -> bytes:
    """One line per series (unit, or the group mean) of scores 0-100 over the results."""
    fig, ax = figure(7.0, 3.6)
    x = list(range(len(dates)))
    for i, (name, values) in enumerate(series.items()):
        points = [(xi, v) for xi, v in zip(x, values, strict=True) if v is not None]
        if not points:
            continue
        ax.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            marker="o",
            markersize=3,
            linewidth=2.4 if i == 0 else 1.2,
            color=_LINE_COLOURS[i % len(_LINE_COLOURS)],
            label=name,
        )
    ax.set_xticks(x, labels=list(dates))
    shown = [v for values in series.values() for v in values if v is not None]
    ax.set_ylim(max(0, (min(shown, default=0) // 10) * 10 - 10), 101)  # room to see movement
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", linewidth=0.4, color="#CCCCCC")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    plain_texts(ax)
    return png(fig)


def severity_chart(
    dates: Sequence[str],
    counts: Mapping[str, Sequence[int]],
    labels: Mapping[str, str],
    colours: Mapping[str, str] | None = None,
) -> bytes:
    """Stacked bars: open findings by severity in each result.

    ``colours`` (severity -> ``#RRGGBB``) come from the document's stylesheet (``.sev-*``),
    so the bars match the severity labels of the tables; grey where missing.
    """
    colours = colours or {}
    fig, ax = figure(7.0, 3.0)
    x = list(range(len(dates)))
    bottom = [0] * len(dates)
    for sev, values in counts.items():
        ax.bar(x, values, bottom=bottom, color=colours.get(sev, "#999999"),
               label=labels.get(sev, sev), width=0.6)  # fmt: skip
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for xi, total in zip(x, bottom, strict=True):
        ax.text(xi, total, str(total), ha="center", va="bottom", fontsize=8, parse_math=False)
    ax.set_xticks(x, labels=list(dates))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    plain_texts(ax)
    return png(fig)
