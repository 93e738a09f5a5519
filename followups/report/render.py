"""Renders the annual report: one template for the browser preview and the
PDF, and a WeasyPrint URL fetcher that reads nothing but the report's own
assets.

User text can contain anything. Django escapes it in the template, and the
fetcher refuses every URL that is not one of the report's assets (style
sheet and fonts), so neither ``file:`` nor ``http(s):`` URLs, redirects or
attachments can bring a server file or a network answer into the PDF.
"""

import functools
import importlib.util
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import FollowUp
from ..trends import draw_area_charts, series_chart
from .charts import rating_chart
from .data import ReportData, build_report_data

# The PDF is rendered against this base URL; nothing is ever fetched from it,
# the fetcher answers the few asset URLs below from files in-process.
BASE_URL = "http://report.invalid/"
STYLESHEET = "css/report.css"
FONT_PREFIX = "report-fonts/"
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
# PDF/A-3a: archival (PDF/A) and tagged ("a", accessible). See README.
PDF_VARIANT = "pdf/a-3a"


@functools.cache
def _font_dir() -> Path:
    # The fonts matplotlib ships: installed by requirements.txt, so every
    # machine renders with exactly the same font files. Found without
    # importing matplotlib (a third of a second), as get_data_path() does.
    package = Path(importlib.util.find_spec("matplotlib").origin).parent
    return package / "mpl-data" / "fonts" / "ttf"


def report_assets() -> dict[str, Path]:
    """The URLs the report may load, and the files that answer them.

    The style sheet's URL is the one the template's ``{% static %}`` writes,
    which in production carries the file's hash (``report.1a2b3c.css``).
    """
    assets = {urljoin(BASE_URL, static(STYLESHEET)): Path(finders.find(STYLESHEET))}
    for font in FONTS:
        assets[BASE_URL + FONT_PREFIX + font] = _font_dir() / font
    return assets


@functools.cache
def _fetcher_class() -> type:
    # Built on first use: importing weasyprint is slow, and only the report
    # needs it.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ReportAssetFetcher(URLFetcher):
        """Answers the report's own assets from files; refuses everything else.

        ``requested`` lists every URL WeasyPrint asked for, allowed or not.
        """

        def __init__(self) -> None:
            super().__init__(allowed_protocols=[], allow_redirects=False)
            self.assets = report_assets()
            self.requested: list[str] = []

        def fetch(self, url, headers=None):
            self.requested.append(url)
            path = self.assets.get(url)
            if path is None:
                raise ValueError(f"The report may not load {url!r}.")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": content_type}
            )

    return ReportAssetFetcher


def make_asset_fetcher():
    """A new ReportAssetFetcher (a ``weasyprint.urls.URLFetcher`` subclass)."""
    return _fetcher_class()()


def _with_charts(data: ReportData) -> ReportData:
    labels = [c.label or _("Not yet assessed") for c in data.rating_counts]
    data.rating_chart = rating_chart(labels, [c.count for c in data.rating_counts])
    for chapter in data.chapters:
        for row in chapter.indicators:
            row.chart = series_chart(row.indicator, row.values)
    draw_area_charts(data.trend_years, data.area_trends)
    return data


def report_context(followup: FollowUp, *, for_pdf: bool) -> dict:
    data = _with_charts(build_report_data(followup))
    return {
        "report": data,
        "followup": followup,
        "programme": followup.programme,
        "is_draft": followup.status != FollowUp.Status.APPROVED,
        "for_pdf": for_pdf,
        "rendered_at": timezone.localtime(),
    }


def render_report_html(followup: FollowUp, *, for_pdf: bool = False) -> str:
    return render_to_string(
        "followups/report/report.html", report_context(followup, for_pdf=for_pdf)
    )


@dataclass
class RenderedReport:
    pdf: bytes
    pages: int
    requested: list[str]


def render_report_pdf(followup: FollowUp, html: str | None = None) -> RenderedReport:
    """Renders the report as PDF/A-3a. Reads the database and the report's
    assets; writes nothing."""
    if html is None:
        html = render_report_html(followup, for_pdf=True)
    return render_pdf(html)


def render_pdf(html: str) -> RenderedReport:
    """Renders a document of the report's kind (its style sheet and fonts)
    as tagged PDF/A-3a, through the fetcher that loads nothing but those
    assets. Other reports (the collaboration's) use it too."""
    from weasyprint import HTML

    fetcher = make_asset_fetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    return RenderedReport(pdf=pdf, pages=len(document.pages), requested=fetcher.requested)


def report_filename(followup: FollowUp) -> str:
    """E.g. uppfoljning-trygghet-och-sakerhet-2021.pdf."""
    name = slugify(_("Follow-up safety and security"))
    return f"{name}-{followup.year}.pdf"
