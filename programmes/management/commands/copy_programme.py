from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from programmes.copying import copy_programme
from programmes.models import Programme


class Command(BaseCommand):
    help = _(
        "Makes the next programme period from an existing programme: areas, goals, "
        "indicators (continuing the old ones' series) and guidelines. The old programme "
        "is not changed; the new one is not adopted until body and date are entered."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--from",
            dest="source",
            type=int,
            required=True,
            help=_("The id of the programme to copy."),
        )
        parser.add_argument(
            "--first-year", type=int, required=True, help=_("The new period's first year.")
        )
        parser.add_argument(
            "--last-year", type=int, required=True, help=_("The new period's last year.")
        )
        parser.add_argument(
            "--name", default=None, help=_("The new programme's name (default: the old one's).")
        )

    def handle(self, *args, source: int, first_year: int, last_year: int, name, **options):
        programme = Programme.objects.filter(pk=source).first()
        if programme is None:
            raise CommandError(_("There is no programme with the id %(id)s.") % {"id": source})
        try:
            copy = copy_programme(programme, first_year, last_year, name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            _(
                "Created %(programme)s (id %(id)s) from %(source)s: %(areas)s areas, %(goals)s "
                "goals, %(indicators)s indicators, %(guidelines)s guidelines. Not adopted yet."
            )
            % {
                "programme": copy,
                "id": copy.pk,
                "source": programme,
                "areas": copy.areas.count(),
                "goals": sum(area.goals.count() for area in copy.areas.all()),
                "indicators": sum(area.indicators.count() for area in copy.areas.all()),
                "guidelines": copy.guidelines.count(),
            }
        )
