"""The report under production's static files, whose URLs carry a hash of the
file (ManifestStaticFilesStorage): the PDF still gets its style sheet and
fonts. A fetcher that only knew ``report.css`` refused ``report.<hash>.css``
and every PDF archived in production came out unstyled."""

import json

import pytest

from followups.report.render import BASE_URL, FONT_PREFIX, FONTS, render_report_pdf
from tests.followups import report_pdf

pytestmark = pytest.mark.django_db

HASHED = "css/report.0123456789ab.css"


@pytest.fixture
def hashed_static_names(settings, tmp_path):
    """Production's static storage, with a manifest that names the hashed copy."""
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "hash": "test", "paths": {"css/report.css": HASHED}})
    )
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }


def test_pdf_loads_the_hashed_style_sheet_and_the_fonts(hashed_static_names, year):
    rendered = render_report_pdf(year.followup)

    assert rendered.requested == [
        BASE_URL + "static/" + HASHED,
        *(BASE_URL + FONT_PREFIX + font for font in FONTS),
    ]
    assert len(report_pdf.fonts(report_pdf.read(rendered.pdf))) == 3
