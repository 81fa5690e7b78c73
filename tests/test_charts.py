"""Charts: deterministic PNG pictures (matplotlib, object API), readable for large groups."""

from __future__ import annotations

import io
import subprocess
import sys
from typing import Any

from PIL import Image

from compliance.render import charts
from compliance.render.documents import RANKING_BARS, ranking_chart


def _size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        return image.size


def test_bar_chart_is_deterministic_and_draws_bars_in_score_colours() -> None:
    labels, values = ["安全理念", "Budget $5 to $", "none"], [95.0, 50.0, None]
    png = charts.bar_chart(labels, values)
    assert png == charts.bar_chart(labels, values)
    with Image.open(io.BytesIO(png)) as image:
        colours = {c for _, c in image.convert("RGB").getcolors(1_000_000) or []}
    assert (0x2E, 0x7D, 0x32) in colours  # the green bar of 95
    assert (0xC6, 0x28, 0x28) in colours  # the red bar of 50


def test_long_labels_are_cut_with_an_ellipsis() -> None:
    cut = charts.fit("单位" * 20_000, 10, 300)
    assert cut.endswith("…") and cut.startswith("单位单位")
    assert 250 < charts.text_width(cut, 10) <= 300
    assert charts.fit("short", 10, 300) == "short"


def test_charts_drawn_in_a_child_process_are_the_same_pictures(monkeypatch: Any) -> None:
    labels, values = ["安全理念", "Budget $5 to $"], [95.0, 50.0]
    here = charts.bar_chart(labels, values)
    monkeypatch.setattr(charts, "_FORKED", False)
    monkeypatch.delitem(sys.modules, "matplotlib.figure")  # as in a process that never drew
    drawn = charts.draw_later({"a.png": (charts.bar_chart, (labels, values))})
    assert charts._FORKED  # a child drew it
    assert drawn["a.png"]() == here


def test_ranking_of_a_large_group_charts_the_best_and_the_worst_only() -> None:
    units = [{"id": f"u{i:04}", "name": f"Unit {i}", "score": i / 10} for i in range(1000)]
    width, height = _size(ranking_chart(units, "zh"))
    small_w, small_h = _size(ranking_chart(units[: 2 * RANKING_BARS + 1], "en"))
    assert width == small_w and height == small_h  # 1,000 units: the same picture size


def test_check_and_report_modules_do_not_import_matplotlib() -> None:
    code = "import sys, compliance.render.reports, compliance.render.charts; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_score_bands_colour_bars_and_heat_map_cells_alike() -> None:
    scores = (None, 100.0, 90.0, 89.9, 75.0, 74.9, 60.0, 59.9, 0.0)
    assert [charts.score_colour(s) for s in scores] == [
        "#DDDDDD",
        "#2E7D32",
        "#2E7D32",
        "#9E9D24",
        "#9E9D24",
        "#EF6C00",
        "#EF6C00",
        "#C62828",
        "#C62828",
    ]
    assert [charts.heat_colour(s) for s in scores] == [
        "#EEEEEE",
        "#C8E6C9",
        "#C8E6C9",
        "#F0F4C3",
        "#F0F4C3",
        "#FFE0B2",
        "#FFE0B2",
        "#FFCDD2",
        "#FFCDD2",
    ]
