"""The report's charts are drawn once per content: a cached drawing is
exactly the one that would be drawn, and any change of data, title or
language draws anew."""

import pytest
from django.core.cache import cache
from django.utils import translation

from followups.report.charts import indicator_chart, rating_chart


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def chart_keys() -> list[str]:
    return [key for key in cache._cache if "report-chart:" in key]


def test_same_chart_is_drawn_once_and_served_identically():
    first = indicator_chart([2020, 2021], [474.0, 415.0], "Klotter", "antal", "k")
    assert len(chart_keys()) == 1

    second = indicator_chart([2020, 2021], [474.0, 415.0], "Klotter", "antal", "k")

    assert second == first
    assert len(chart_keys()) == 1
    assert ">474<" in second


def test_changed_value_or_title_is_drawn_anew():
    before = indicator_chart([2020, 2021], [474.0, 415.0], "Klotter", "antal", "k")

    changed = indicator_chart([2020, 2021], [474.0, 416.0], "Klotter", "antal", "k")
    retitled = indicator_chart([2020, 2021], [474.0, 415.0], "Klotter 2", "antal", "k")

    assert ">416<" in changed and ">416<" not in before
    assert "Klotter 2" in retitled
    assert len(chart_keys()) == 3


def test_language_is_part_of_the_drawing():
    with translation.override("sv"):
        swedish = rating_chart(["God"], [2], "Mål")
    with translation.override("en"):
        english = rating_chart(["God"], [2], "Mål")

    assert "Antal mål" in swedish
    assert "Number of goals" in english
