"""The fingerprint of a report: a SHA-256 over everything that reaches the
PDF, so an unchanged report is served from its stored file and any change
makes a new one.

What goes in: the data the report shows, exactly as the template receives it
(every field of every record ``build_report_data`` reads, with the records
they were fetched with), the kind of document and the decision's fields, and
the day for a draft (its cover carries the date), and
the code version: the report's templates, style sheet, fonts, translations,
this package's code and the versions of WeasyPrint and matplotlib. It takes
the same queries as the report's data and no rendering.
"""

import dataclasses
import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.db.models import Model
from django.utils import timezone

from ..models import FollowUp
from .data import build_report_data

REPORT_PACKAGE = Path(__file__).resolve().parent
FINGERPRINT_VERSION = "1"


@functools.cache
def code_version() -> str:
    """A hash of the files and libraries that shape the PDF, once per process."""
    import matplotlib
    import weasyprint
    from django.contrib.staticfiles import finders

    from .render import FONTS, STYLESHEET, _font_dir

    digest = hashlib.sha256(FINGERPRINT_VERSION.encode())
    digest.update(
        f"weasyprint {weasyprint.__version__} matplotlib {matplotlib.__version__}".encode()
    )
    files = sorted(REPORT_PACKAGE.glob("*.py"))
    files += sorted((settings.BASE_DIR / "templates" / "followups" / "report").glob("*.html"))
    files.append(Path(finders.find(STYLESHEET)))
    files += [_font_dir() / font for font in FONTS]
    files += sorted(
        Path(path) for path in settings.LOCALE_PATHS for path in Path(path).rglob("*.mo")
    )
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _feed(digest, value, seen: set) -> None:
    """Feeds a value and everything reachable from it without a query."""
    if isinstance(value, Model):
        key = (value._meta.label, value.pk)
        digest.update(repr(key).encode())
        if key in seen:
            return
        seen.add(key)
        for field in value._meta.concrete_fields:
            digest.update(repr(field.value_from_object(value)).encode())
        for name, related in sorted(value._state.fields_cache.items()):
            digest.update(name.encode())
            _feed(digest, related, seen)
        for name, items in sorted(getattr(value, "_prefetched_objects_cache", {}).items()):
            digest.update(name.encode())
            _feed(digest, list(items), seen)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            digest.update(field.name.encode())
            _feed(digest, getattr(value, field.name), seen)
    elif isinstance(value, list | tuple):
        digest.update(f"[{len(value)}".encode())
        for item in value:
            _feed(digest, item, seen)
        digest.update(b"]")
    elif isinstance(value, dict):
        for key, item in sorted(value.items(), key=lambda pair: repr(pair[0])):
            digest.update(repr(key).encode())
            _feed(digest, item, seen)
    else:
        digest.update(repr(value).encode())


def report_fingerprint(followup: FollowUp, kind: str, decision: dict | None = None) -> str:
    """The fingerprint of the year's report of the given kind ("draft" or
    "decision", with the decision's fields). Same queries as the report's
    data (``build_report_data``)."""
    digest = hashlib.sha256(code_version().encode())
    digest.update(f"{kind} {settings.LANGUAGE_CODE}".encode())
    if kind == "draft":
        # A draft's cover carries the day it was rendered.
        digest.update(timezone.localdate().isoformat().encode())
    _feed(digest, sorted((decision or {}).items()), set())
    seen: set = set()
    _feed(digest, followup, seen)
    _feed(digest, followup.programme, seen)
    _feed(digest, build_report_data(followup), seen)
    return digest.hexdigest()
