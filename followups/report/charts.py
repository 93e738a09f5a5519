"""The report's charts as small SVG drawn from the data. Text in them stays
text, in the report's own font, so it can be searched, read aloud and copied
from the PDF.

Drawn here rather than by a plotting library: a chart is a few dozen SVG
elements instead of a few hundred, which WeasyPrint lays out and paints in
a fraction of the time (docs/decisions.md, issue 9), and no style sheet or
element id is needed, so the preview's Content-Security-Policy is kept.
"""

import functools
import hashlib
import json
import math
from collections.abc import Callable, Sequence

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

FONT = "DejaVu Sans"
BLUE = "#1f4e79"
AXIS = "#333333"
WIDTH = 446.4  # points: 6.2 inches, the text width of the A4 page
FONT_SIZE = 9
RATING_WIDTH = WIDTH / 2  # the rating chart stands beside its table
# Rough width of a character of DejaVu Sans at FONT_SIZE, for placing labels.
CHAR_WIDTH = 5.2


def _number(value: float) -> str:
    """1234.5 → "1234,5"; 12.0 → "12" (Swedish decimal comma)."""
    return f"{value:g}".replace(".", ",")


def _coordinate(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, *, anchor: str = "start", **attributes) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return (
        f'<text x="{_coordinate(x)}" y="{_coordinate(y)}" text-anchor="{anchor}"{extra}>'
        f"{escape(text)}</text>"
    )


def _svg(height: float, body: list[str], width: float = WIDTH) -> str:
    w, h = _coordinate(width), _coordinate(height)
    return mark_safe(  # noqa: S308 - every text above is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}pt" '
        f'height="{h}pt" viewBox="0 0 {w} {h}" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}" fill="#000000">' + "".join(body) + "</svg>"
    )


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``: steps of 1, 2 or 5 times
    a power of ten, about ``count`` of them."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    ticks = []
    value = 0.0
    while value < top + step / 2:
        ticks.append(round(value, 10))
        value += step
    return ticks


# Bump when the drawing code changes, so a shared cache drops older drawings.
DRAWING_VERSION = 4
CACHE_SECONDS = 24 * 60 * 60


def _cached(draw: Callable[..., str]) -> Callable[..., str]:
    """Keeps each drawing in Django's cache under a hash of what it shows.

    The key holds every argument, the language (axis labels are translated)
    and the drawing version, so a cached chart is exactly the one that would
    be drawn: the cache can be per process or shared, and never serves a
    stale chart.
    """

    @functools.wraps(draw)
    def wrapper(*args, **kwargs) -> str:
        identity = json.dumps(
            [draw.__name__, DRAWING_VERSION, get_language(), args, kwargs],
            default=list,
            ensure_ascii=False,
        )
        key = "report-chart:" + hashlib.sha256(identity.encode()).hexdigest()
        svg = cache.get(key)
        if svg is None:
            svg = draw(*args, **kwargs)
            cache.set(key, str(svg), CACHE_SECONDS)
        return mark_safe(svg)  # noqa: S308 - drawn above, every text escaped

    return wrapper


@_cached
def rating_chart(labels: Sequence[str], counts: Sequence[int]) -> str:
    """Horizontal bars: how many goals reached each level of the scale (the
    figure's caption is its title). Half the text width, drawn at its printed
    size beside the table of the same counts."""
    width = RATING_WIDTH
    row = 16.0
    top, left, right = 4.0, width * 0.62, width * 0.92
    plot_height = row * len(labels)
    height = top + plot_height + 34
    ticks = [int(t) for t in nice_ticks(max([*counts, 1]), 5) if t == int(t)]
    scale = (right - left) / ticks[-1]
    body = []
    for index, (label, count) in enumerate(zip(labels, counts, strict=True)):
        middle = top + row * index + row / 2
        body.append(_text(left - 6, middle + 3, label, anchor="end"))
        body.append(
            f'<rect x="{_coordinate(left)}" y="{_coordinate(middle - row * 0.35)}" '
            f'width="{_coordinate(count * scale)}" height="{_coordinate(row * 0.7)}" '
            f'fill="{BLUE}"/>'
        )
        body.append(_text(left + count * scale + 3, middle + 3, str(count)))
    axis_y = top + plot_height
    marks = "".join(
        f"M{_coordinate(left + tick * scale)} {_coordinate(axis_y)}v3.5" for tick in ticks
    )
    body.append(
        f'<path d="M{_coordinate(left)} {_coordinate(top)}V{_coordinate(axis_y)}'
        f'H{_coordinate(right)}{marks}" stroke="{AXIS}" stroke-width="0.8" fill="none"/>'
    )
    body += [_text(left + tick * scale, axis_y + 14, str(tick), anchor="middle") for tick in ticks]
    body.append(_text((left + right) / 2, axis_y + 28, _("Number of goals"), anchor="middle"))
    return _svg(height, body, width)


@_cached
def indicator_chart(
    years: Sequence[int], values: Sequence[float], unit: str, target: float | None = None
) -> str:
    """The indicator's values over the years, and its target as a dashed
    line named in text. No title and no value labels: the heading above and
    the caption below name it, the table above gives every value (and each
    text in an SVG costs WeasyPrint a text layout)."""
    height = 140.0
    left, right = WIDTH * 0.1, WIDTH * 0.97
    top, bottom = height * 0.08, height * 0.86
    peak = max([*values, target or 0])
    highest = peak * 1.2 if peak > 0 else 1
    ticks = nice_ticks(highest, 5)
    y_scale = (bottom - top) / ticks[-1]
    first, last = min(years), max(years)
    span = (last - first) or 1
    margin = (right - left) * 0.05

    def x_of(year: int) -> float:
        return left + margin + (year - first) / span * (right - left - 2 * margin)

    def y_of(value: float) -> float:
        return bottom - value * y_scale

    body = []
    x_marks = "".join(f"M{_coordinate(x_of(y))} {_coordinate(bottom)}v3.5" for y in years)
    y_marks = "".join(f"M{_coordinate(left)} {_coordinate(y_of(t))}h-3.5" for t in ticks)
    body.append(
        f'<path d="M{_coordinate(left)} {_coordinate(top - 6)}V{_coordinate(bottom)}'
        f'H{_coordinate(right)}{x_marks}{y_marks}" stroke="{AXIS}" stroke-width="0.8" '
        'fill="none"/>'
    )
    body += [_text(x_of(year), bottom + 13, str(year), anchor="middle") for year in years]
    body += [_text(left - 6, y_of(tick) + 3, _number(tick), anchor="end") for tick in ticks]
    middle = (top + bottom) / 2
    body.append(
        _text(11, middle, unit, anchor="middle", transform=f"rotate(-90 11 {_coordinate(middle)})")
    )
    points = [(x_of(year), y_of(value)) for year, value in zip(years, values, strict=True)]
    line = " ".join(f"{_coordinate(x)},{_coordinate(y)}" for x, y in points)
    body.append(f'<polyline points="{line}" fill="none" stroke="{BLUE}" stroke-width="1.5"/>')
    dots = "".join(
        f"M{_coordinate(x - 3)} {_coordinate(y)}a3 3 0 1 0 6 0a3 3 0 1 0 -6 0" for x, y in points
    )
    body.append(f'<path d="{dots}" fill="{BLUE}"/>')
    if target is not None:
        y = _coordinate(y_of(target))
        body.append(
            f'<path d="M{_coordinate(left)} {y}H{_coordinate(right)}" stroke="{AXIS}" '
            'stroke-width="0.8" stroke-dasharray="4 3" fill="none"/>'
        )
        label = _("Target %(value)s") % {"value": _number(target)}
        body.append(_text(right, y_of(target) - 3, label, anchor="end"))
    return _svg(height, body)


@_cached
def trend_chart(
    years: Sequence[str],
    counts: Sequence[Sequence[int]],
    level_labels: Sequence[Sequence[str]],
    scale_changes: Sequence[int] = (),
) -> str:
    """An area's goals over the levels, year by year: a circle per year and
    level, its area growing with the number of goals, the number written
    beside it. The levels run down one ordinal axis (1 best), each named in
    both scales' words (``level_labels``: the lines of each level's label,
    the last entry for goals not yet assessed); a dashed line with a note
    stands before each year in ``scale_changes`` (indexes into ``years``),
    where the scale changed."""
    row, label_width, top = 24.0, 150.0, 16.0
    rows = len(level_labels)
    plot_left, plot_right = label_width, WIDTH - 4
    column = (plot_right - plot_left) / max(len(years), 1)
    bottom = top + row * rows
    height = bottom + 18
    largest = max([1, *(count for year in counts for count in year)])
    radius = min(column / 2 - 7, row / 2 - 2)

    def x_of(index: int) -> float:
        return plot_left + column * index + column / 2 - 4

    body = []
    for level, lines in enumerate(level_labels):
        middle = top + row * level + row / 2
        first = middle + 3 - (len(lines) - 1) * 5
        for offset, line in enumerate(lines):
            body.append(_text(label_width - 8, first + offset * 10, line, anchor="end"))
    grid = "".join(
        f"M{_coordinate(plot_left)} {_coordinate(top + row * level + row / 2)}"
        f"H{_coordinate(plot_right)}"
        for level in range(rows)
    )
    body.append(f'<path d="{grid}" stroke="#cccccc" stroke-width="0.5" fill="none"/>')
    body.append(
        f'<path d="M{_coordinate(plot_left)} {_coordinate(top)}V{_coordinate(bottom)}'
        f'H{_coordinate(plot_right)}" stroke="{AXIS}" stroke-width="0.8" fill="none"/>'
    )
    circles = []
    for index, (year, year_counts) in enumerate(zip(years, counts, strict=True)):
        x = x_of(index)
        body.append(_text(x, bottom + 13, year, anchor="middle"))
        for level, count in enumerate(year_counts):
            if not count:
                continue
            middle = top + row * level + row / 2
            r = max(radius * math.sqrt(count / largest), 1.5)
            circles.append(
                f"M{_coordinate(x - r)} {_coordinate(middle)}"
                f"a{_coordinate(r)} {_coordinate(r)} 0 1 0 {_coordinate(2 * r)} 0"
                f"a{_coordinate(r)} {_coordinate(r)} 0 1 0 {_coordinate(-2 * r)} 0"
            )
            body.append(_text(x + r + 2, middle + 3, str(count)))
    if circles:
        body.append(f'<path d="{"".join(circles)}" fill="{BLUE}"/>')
    for index in scale_changes:
        x = _coordinate(plot_left + column * index)
        body.append(
            f'<path d="M{x} {_coordinate(top - 4)}V{_coordinate(bottom)}" stroke="{AXIS}" '
            'stroke-width="0.8" stroke-dasharray="3 2" fill="none"/>'
        )
        body.append(_text(plot_left + column * index + 3, top - 6, _("New scale")))
    return _svg(height, body)
