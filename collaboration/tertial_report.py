"""The steering group's tertial report as PDF, through the annual report's
pipeline (``followups.report.render.render_pdf``): its style sheet and
fonts, the fetcher that loads nothing else, tagged PDF/A-3a. A tertial not
marked ready is a draft, marked UTKAST on every page."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from followups.report.render import RenderedReport, render_pdf

from .models import TertialFollowUp
from .tertials import TertialData, tertial_data


def tertial_report_html(data: TertialData) -> str:
    return render_to_string(
        "collaboration/report/tertial.html",
        {
            "data": data,
            "tertial": data.tertial,
            "agreement": data.agreement,
            "is_draft": not data.tertial.ready,
            "rendered_at": timezone.localtime(),
        },
    )


def render_tertial_report(tertial: TertialFollowUp) -> RenderedReport:
    """Reads the tertial (``tertial_data``) and renders its report; writes
    nothing. ``tertial`` may be unsaved: then the empty draft."""
    return render_pdf(tertial_report_html(tertial_data(tertial)))


def tertial_report_filename(tertial: TertialFollowUp) -> str:
    """E.g. tertialrapport-2021-t1.pdf."""
    name = slugify(_("Tertial report"))
    return f"{name}-{tertial.year}-t{tertial.tertial}.pdf"
