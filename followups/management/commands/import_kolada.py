from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from followups.kolada import KoladaError, import_kolada
from programmes.models import YEAR_VALIDATORS, Indicator

FIRST_YEAR, LAST_YEAR = (validator.limit_value for validator in YEAR_VALIDATORS)


class Command(BaseCommand):
    help = _(
        "Fetches the values of the indicators that name a Kolada KPI from Kolada and saves "
        "all of them or none; values of submitted and approved years are left as they are."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--indicator",
            type=int,
            action="append",
            dest="indicators",
            metavar="ID",
            help=_("Only this indicator (its id); may be given more than once."),
        )
        parser.add_argument(
            "--since",
            type=int,
            metavar="YEAR",
            help=_("From this year (default: the first year of the indicator's programme)."),
        )

    def handle(self, *args, indicators: list[int] | None, since: int | None, **options) -> None:
        if since is not None and not FIRST_YEAR <= since <= LAST_YEAR:
            raise CommandError(
                _("--since takes a year from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        chosen = None
        if indicators:
            found = Indicator.objects.select_related("area__programme").in_bulk(indicators)
            unknown = [str(pk) for pk in indicators if pk not in found]
            if unknown:
                raise CommandError(
                    _("There is no indicator with the id %(ids)s.") % {"ids": ", ".join(unknown)}
                )
            chosen = [found[pk] for pk in indicators]
        elif not Indicator.objects.exclude(kolada_kpi="").exists():
            self.stdout.write(_("No indicator names a Kolada KPI."))
            return
        try:
            result = import_kolada(chosen, since=since)
        except KoladaError as error:
            raise CommandError(error.message) from error
        self.stdout.write(result.summary())
