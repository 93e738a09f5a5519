"""The report's charts are drawn once per content: a cached drawing is
exactly the one that would be drawn, and any change of data, title or
language draws anew."""

import re

import pytest
from django.core.cache import cache
from django.utils import translation

from followups.report.charts import indicator_chart, nice_ticks, rating_chart


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def chart_keys() -> list[str]:
    return [key for key in cache._cache if "report-chart:" in key]


def test_same_chart_is_drawn_once_and_served_identically():
    first = indicator_chart([2020, 2021], [474.0, 415.0], "antal")
    assert len(chart_keys()) == 1

    second = indicator_chart([2020, 2021], [474.0, 415.0], "antal")

    assert second == first
    assert len(chart_keys()) == 1
    assert [t for t in [">2020<", ">2021<", ">antal<"] if t in first] == [
        ">2020<",
        ">2021<",
        ">antal<",
    ]


def test_changed_value_or_unit_is_drawn_anew():
    before = indicator_chart([2020, 2021], [474.0, 415.0], "antal")

    changed = indicator_chart([2020, 2021], [474.0, 416.0], "antal")
    relabelled = indicator_chart([2020, 2021], [474.0, 415.0], "procent")

    assert changed != before
    assert ">procent<" in relabelled
    assert len(chart_keys()) == 3


def test_language_is_part_of_the_drawing():
    with translation.override("sv"):
        swedish = rating_chart(["God"], [2])
    with translation.override("en"):
        english = rating_chart(["God"], [2])

    assert "Antal mål" in swedish
    assert "Number of goals" in english


def test_bars_are_as_long_as_their_counts_and_labels_are_escaped():
    svg = rating_chart(["<b>Hög</b>", "Låg"], [4, 2])

    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.01)
    assert "&lt;b&gt;Hög&lt;/b&gt;" in svg and "<b>" not in svg


def test_the_line_has_a_point_per_year_and_round_ticks_up_past_the_highest_value():
    svg = indicator_chart([2019, 2020, 2021], [474.0, 415.0, 390.5], "antal")

    points = re.search(r'<polyline points="([^"]+)"', svg).group(1).split()
    assert len(points) == 3
    ticks = re.findall(r'text-anchor="end">([0-9 ,]+)</text>', svg)
    assert ticks == ["0", "200", "400", "600"]


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (1, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (568.8, [0, 200, 400, 600]),
        (80, [0, 20, 40, 60, 80]),
        (0, [0, 1]),
    ],
)
def test_nice_ticks(top, ticks):
    assert nice_ticks(top) == pytest.approx(ticks)
