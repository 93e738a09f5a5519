"""Kolada's open API (v3), as far as the indicators need it: the values of
one KPI for one municipality and some years, every page of them.

Standard library only (urllib, with the timeout of ``KOLADA_TIMEOUT``).
Every failure is a KoladaError whose message, in Swedish, says what went
wrong and that nothing was saved; nothing here writes to the database.
"""

import http.client
import json
import socket
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

# Kolada refuses longer year lists in one request.
YEARS_PER_REQUEST = 25
# Rows per page asked for (Kolada's largest page).
PER_PAGE = 5000
# A programme's years fill one page; a longer chain of pages is a loop.
MAX_PAGES = 50
# An answer larger than this is no answer about one KPI and one municipality.
MAX_BYTES = 10 * 1024 * 1024
CENTS = Decimal("0.01")


class KoladaError(Exception):
    """Kolada could not be asked or answered with something unusable; the
    message is for people, in Swedish."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def not_saved(message: str) -> KoladaError:
    nothing_saved = _("No values were saved.")
    return KoladaError(f"{message} {nothing_saved}")


def unreadable(detail: str) -> KoladaError:
    return not_saved(
        _("Kolada answered with data that could not be read (%(detail)s).") % {"detail": detail}
    )


def unknown_kpi(kpi: str) -> KoladaError:
    return not_saved(_("Kolada does not know the KPI %(kpi)s.") % {"kpi": kpi})


def fetch_values(kpi: str, municipality: str, years: list[int], gender: str) -> dict[int, Decimal]:
    """Kolada's values of ``kpi`` for ``municipality`` in ``years``, of one
    gender (T total, K women, M men), by year and rounded to hundredths;
    years Kolada has no value for are left out.

    One request per page and per 25 years, and one for the KPI itself when
    Kolada has no value at all, to tell an unknown KPI from one without
    data for these years. Raises KoladaError.
    """
    values: dict[int, Decimal] = {}
    rows = 0
    for start in range(0, len(years), YEARS_PER_REQUEST):
        block = ",".join(str(year) for year in years[start : start + YEARS_PER_REQUEST])
        url = f"{base_url()}/data/kpi/{kpi}/municipality/{municipality}/year/{block}"
        for row in _rows(f"{url}?per_page={PER_PAGE}", kpi):
            rows += 1
            if row.get("kpi") != kpi or row.get("municipality") != municipality:
                continue  # another KPI's or municipality's row is none of ours
            year = _year(row.get("period"))
            value = _value_of(row.get("values"), gender)
            if value is not None and year in years:
                values[year] = value
    if not rows and years and not _kpi_exists(kpi):
        raise unknown_kpi(kpi)
    return values


def base_url() -> str:
    return settings.KOLADA_BASE_URL.rstrip("/")


def _rows(url: str, kpi: str) -> Iterator[dict]:
    """The rows of every page, following ``next_url`` (``next_page`` in
    older answers) within Kolada's own address."""
    seen: set[str] = set()
    while url and url not in seen:
        if len(seen) == MAX_PAGES:
            raise unreadable(_("too many pages"))
        seen.add(url)
        page = _get(url, kpi)
        rows = page.get("values")
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise unreadable(_("no list of values"))
        yield from rows
        following = page.get("next_url") or page.get("next_page")
        if not rows or not following:
            return
        if not isinstance(following, str):
            raise unreadable(_("a next page that is no address"))
        url = urljoin(url, following)
        if _origin(url) != _origin(base_url()):
            raise unreadable(_("a next page outside Kolada"))


def _kpi_exists(kpi: str) -> bool:
    """Whether Kolada describes the KPI (one request; 404 means it does not)."""
    page = _get(f"{base_url()}/kpi/{kpi}", kpi)
    found = page.get("values")
    if not isinstance(found, list):
        raise unreadable(_("no list of values"))
    return any(isinstance(item, dict) and item.get("id") == kpi for item in found)


def _get(url: str, kpi: str) -> dict:
    """One answer of Kolada as JSON, numbers as Decimal."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise not_saved(_("The Kolada address must begin with https:// or http://."))
    request = Request(url, headers={"Accept": "application/json"})  # noqa: S310 (checked above)
    try:
        with urlopen(request, timeout=settings.KOLADA_TIMEOUT) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
    except HTTPError as error:
        if error.code == 404:
            raise unknown_kpi(kpi) from error
        raise not_saved(
            _("Kolada answered with an error (HTTP %(status)s).") % {"status": error.code}
        ) from error
    except URLError as error:
        raise _unreachable(error.reason, url) from error
    except (OSError, http.client.HTTPException) as error:
        raise _unreachable(error, url) from error
    if len(body) > MAX_BYTES:
        raise unreadable(_("too much data"))
    try:
        page = json.loads(body.decode("utf-8"), parse_float=Decimal)
    except ValueError as error:  # not UTF-8, or not JSON
        raise unreadable(_("not JSON")) from error
    if not isinstance(page, dict):
        raise unreadable(_("no list of values"))
    return page


def _unreachable(reason, url: str) -> KoladaError:
    host = urlsplit(url).hostname or url
    if isinstance(reason, TimeoutError):
        why = _("no answer within %(seconds)s seconds") % {
            "seconds": floatformat(settings.KOLADA_TIMEOUT)
        }
    elif isinstance(reason, ConnectionRefusedError):
        why = _("%(host)s refused the connection") % {"host": host}
    elif isinstance(reason, socket.gaierror):
        why = _("the address %(host)s was not found") % {"host": host}
    else:
        why = _("%(host)s: %(error)s") % {
            "host": host,
            "error": getattr(reason, "strerror", None) or reason,
        }
    return not_saved(_("Could not reach Kolada (%(reason)s).") % {"reason": why})


def _year(period) -> int:
    if isinstance(period, str) and period.isascii() and period.isdigit():
        period = int(period)
    if not isinstance(period, int) or isinstance(period, bool):
        raise unreadable(_("a year that is no year"))
    return period


def _value_of(items, gender: str) -> Decimal | None:
    """The value of the gender among a row's values; None when Kolada has
    none (no item of the gender, or one whose value is null)."""
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise unreadable(_("no list of values"))
    for item in items:
        if item.get("gender") != gender:
            continue
        value = item.get("value")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise unreadable(_("a value that is no number"))
        try:
            value = Decimal(value).quantize(CENTS, rounding=ROUND_HALF_UP)
        except InvalidOperation as error:
            raise unreadable(_("a value that is no number")) from error
        if not value.is_finite():
            raise unreadable(_("a value that is no number"))
        return value
    return None


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc
