"""Indicator values from Kolada: ``import_kolada`` fetches the values of the
indicators that name a Kolada KPI and saves all of them or none.

The HTTP side is ``programmes.kolada_client``; this module decides what is
written, by the same rules as any other write of a value: the model's own
validation, and never in a submitted or approved year.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programmes.kolada_client import KoladaError, fetch_values, not_saved
from programmes.models import Indicator, IndicatorValue, locked_in_transaction

from .models import value_in_approved_year, value_in_closed_year

__all__ = ["CHANGE_REASON", "KoladaError", "KoladaResult", "Skipped", "import_kolada"]

# The history's reason for every value this import writes.
CHANGE_REASON = "Kolada"


@dataclass(frozen=True)
class Skipped:
    """A Kolada value not saved because its year is closed."""

    kpi: str
    year: int
    reason: str

    def __str__(self) -> str:
        return f"{self.kpi} {self.year} ({self.reason})"


@dataclass
class KoladaResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the command and the admin message, in Swedish."""
        text = _("Kolada: %(created)s, %(updated)s, %(unchanged)s.") % {
            "created": ngettext("%(count)s new value", "%(count)s new values", self.created)
            % {"count": self.created},
            "updated": ngettext("%(count)s changed", "%(count)s changed", self.updated)
            % {"count": self.updated},
            "unchanged": ngettext("%(count)s unchanged", "%(count)s unchanged", self.unchanged)
            % {"count": self.unchanged},
        }
        if self.skipped:
            text += " " + _("Skipped: %(values)s.") % {
                "values": ", ".join(str(skipped) for skipped in self.skipped)
            }
        return text


def import_kolada(
    indicators: Iterable[Indicator] | None = None, since: int | None = None, user=None
) -> KoladaResult:
    """Fetches the Kolada values of ``indicators`` (when None, of every
    indicator that names a Kolada KPI) and saves them in one transaction.

    The years are those of each indicator's programme, from ``since`` when
    given (earlier years then too) up to the programme's last year. Every
    value is fetched before anything is written.

    Side effects: creates and changes IndicatorValue rows, each with a
    history record (reason "Kolada", by ``user``), its version moved on and
    its example flag cleared; an unchanged value is not written. A value of
    a submitted or approved year is never written: it is reported as
    skipped. Raises KoladaError (Swedish) when an indicator names no KPI or
    no municipality, when Kolada cannot be reached or answers with something
    unusable, or when a value breaks the model's rules; nothing is saved.
    """
    if indicators is None:
        chosen = list(Indicator.objects.exclude(kolada_kpi="").select_related("area__programme"))
    else:
        chosen = list({indicator.pk: indicator for indicator in indicators}.values())
        missing = [str(indicator) for indicator in chosen if not indicator.kolada_kpi]
        if missing:
            raise not_saved(
                ngettext(
                    "%(indicators)s names no Kolada KPI.",
                    "%(indicators)s name no Kolada KPI.",
                    len(missing),
                )
                % {"indicators": ", ".join(missing)}
            )
    for indicator in chosen:
        if not indicator.kolada_municipality:
            raise not_saved(
                _("%(indicator)s names no municipality's Kolada id.") % {"indicator": indicator}
            )
    fetched = {
        indicator.pk: fetch_values(
            indicator.kolada_kpi,
            indicator.kolada_municipality,
            _years(indicator, since),
            indicator.kolada_gender,
        )
        for indicator in chosen
    }
    result = KoladaResult()
    with transaction.atomic():
        stored = {
            (value.indicator_id, value.year): value
            for value in locked_in_transaction(IndicatorValue.objects.filter(indicator__in=chosen))
        }
        for indicator in chosen:
            for year, number in sorted(fetched[indicator.pk].items()):
                _write(indicator, year, number, stored.get((indicator.pk, year)), result, user)
    return result


def _years(indicator: Indicator, since: int | None) -> list[int]:
    programme = indicator.area.programme
    first = programme.first_year if since is None else since
    return list(range(first, min(programme.last_year, timezone.localdate().year) + 1))


def _write(
    indicator: Indicator,
    year: int,
    number: Decimal,
    value: IndicatorValue | None,
    result: KoladaResult,
    user,
) -> None:
    """Creates or changes the year's value unless it is already Kolada's
    (one query for the year's status, a few for the validation and save)."""
    if value is not None and value.value == number and not value.is_example:
        result.unchanged += 1
        return
    if value_in_closed_year(indicator.pk, year):
        reason = (
            _("the year is approved")
            if value_in_approved_year(indicator.pk, year)
            else _("the year is submitted for decision")
        )
        result.skipped.append(Skipped(indicator.kolada_kpi, year, reason))
        return
    if value is None:
        value = IndicatorValue(indicator=indicator, year=year)
        result.created += 1
    else:
        # An editor's open form of the value now sees that it changed.
        value.version += 1
        result.updated += 1
    value.value = number
    value.is_example = False
    value._change_reason = CHANGE_REASON
    if user is not None:
        value._history_user = user
    try:
        value.full_clean()
        # The year's follow-up is locked here, so it cannot close before commit.
        value.save()
    except ValidationError as error:
        raise not_saved(
            _("The Kolada value %(value)s for %(indicator)s %(year)s cannot be saved: %(errors)s")
            % {
                "value": number_format(number),
                "indicator": indicator,
                "year": year,
                "errors": " ".join(error.messages),
            }
        ) from error
