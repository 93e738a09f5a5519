"""The report's charts as SVG drawn from the data. Text in them stays text
(``svg.fonttype = none``), in the report's own font, so it can be searched,
read aloud and copied from the PDF."""

import functools
import hashlib
import io
import json
import re
from collections.abc import Callable, Sequence

from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

FONT = "DejaVu Sans"
BLUE = "#1f4e79"
GREY = "#6c757d"


def _figure(width: float, height: float):
    # Imported here: matplotlib is heavy and only the report needs it. A bare
    # Figure (no pyplot) keeps no global state between requests or threads.
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "huddinge-report",  # the same ids on every render
            "font.family": FONT,
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    figure = Figure(figsize=(width, height))
    return figure, figure.subplots()


def _plain(text: str) -> str:
    """Keeps matplotlib from reading "$...$" in data as mathematics."""
    return text.replace("$", r"\$")


_STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<defs>\s*<style[^>]*>\*\{([^}]*)\}</style>\s*</defs>")


def _declarations(css: str) -> str:
    """ "fill: #fff; stroke: none" as SVG attributes: fill="#fff" stroke="none"."""
    pairs = (part.split(":", 1) for part in css.split(";") if ":" in part)
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)


def _without_css(svg: str) -> str:
    """The SVG with its styling as presentation attributes instead of CSS.

    The Content-Security-Policy forbids inline style in the HTML preview,
    which would leave the charts unstyled; attributes are not style. All
    properties matplotlib writes (fill, stroke, font-size, text-anchor …)
    exist as attributes. Its one style element, ``*{…}``, becomes attributes
    of the root element, which every element inherits unless it sets its own.
    """
    root = _STYLE_ELEMENT.search(svg)
    if root:
        svg = svg[: root.start()] + svg[root.end() :]
        svg = svg.replace("<svg ", f"<svg {_declarations(root.group(1))} ", 1)
    return _STYLE_ATTRIBUTE.sub(lambda match: _declarations(match.group(1)), svg)


def _svg(figure, prefix: str) -> str:
    # Fixed margins rather than bbox_inches="tight", which draws the figure twice.
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    # Several charts share one page: give each its own element ids.
    svg = re.sub(r'(id="|url\(#|href="#)', rf"\g<1>{prefix}-", buffer.getvalue())
    # Inline in HTML: drop the XML prolog and doctype, keep the <svg> element.
    svg = _without_css(svg[svg.index("<svg") :])
    return mark_safe(svg)  # noqa: S308 - matplotlib escapes the text it writes


# Bump when the drawing code changes, so a shared cache drops older drawings.
DRAWING_VERSION = 2
CACHE_SECONDS = 24 * 60 * 60


def _cached(draw: Callable[..., str]) -> Callable[..., str]:
    """Keeps each drawing in Django's cache under a hash of what it shows.

    Drawing is most of a report preview's time (matplotlib's savefig), and a
    year's charts rarely change between two previews. The key holds every
    argument, the language (axis labels are translated) and the drawing
    version, so a cached chart is exactly the one that would be drawn: the
    cache can be per process or shared, and never serves a stale chart.
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
        return mark_safe(svg)  # noqa: S308 - drawn by matplotlib, which escapes text

    return wrapper


@_cached
def rating_chart(labels: Sequence[str], counts: Sequence[int], title: str) -> str:
    """Horizontal bars: how many goals reached each level of the scale."""
    figure, axes = _figure(6.2, 0.45 * len(labels) + 0.8)
    figure.subplots_adjust(left=0.34, right=0.95, top=0.88, bottom=0.22)
    positions = range(len(labels))
    axes.barh(positions, counts, color=BLUE)
    axes.set_yticks(list(positions), [_plain(label) for label in labels])
    axes.invert_yaxis()
    axes.set_xlabel(_("Number of goals"))
    axes.xaxis.get_major_locator().set_params(integer=True)
    for position, count in zip(positions, counts, strict=True):
        axes.text(count, position, f" {count}", va="center")
    axes.set_title(_plain(title), loc="left")
    return _svg(figure, "ratings")


@_cached
def indicator_chart(
    years: Sequence[int], values: Sequence[float], title: str, unit: str, key: str
) -> str:
    """The indicator's values over the years, with each value labelled."""
    figure, axes = _figure(6.2, 2.4)
    figure.subplots_adjust(left=0.1, right=0.97, top=0.86, bottom=0.12)
    axes.plot(list(years), list(values), marker="o", color=BLUE)
    axes.set_xticks(list(years), [str(y) for y in years])
    axes.set_ylabel(_plain(unit))
    axes.set_ylim(bottom=0, top=max(values) * 1.2 if max(values) > 0 else 1)
    for year, value in zip(years, values, strict=True):
        axes.annotate(
            f"{value:g}".replace(".", ","),
            (year, value),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            color=GREY,
        )
    axes.set_title(_plain(title), loc="left")
    return _svg(figure, key)


def warm_up() -> None:
    """Loads matplotlib and its fonts by drawing a small chart, uncached.

    A server process's first drawing costs half a second more than later
    ones; gunicorn calls this when a worker starts (gunicorn.conf.py), so no
    user waits for it.
    """
    figure, axes = _figure(1, 1)
    axes.plot([0, 1], [0, 1])
    axes.set_title("0")
    _svg(figure, "warm-up")
