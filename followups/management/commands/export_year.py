from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from followups.models import FollowUp
from followups.spreadsheets import year_workbook


class Command(BaseCommand):
    help = _(
        "Writes a year as one workbook (activities, goal assessments, area summaries, "
        "indicator values, guideline texts), the same as the web download."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True, help=_("The year followed up."))
        parser.add_argument(
            "--programme", type=int, help=_("Programme id; needed when several have the year.")
        )
        parser.add_argument("--output", required=True, help=_("The XLSX file to write."))

    def handle(self, *args, year: int, programme: int | None, output: str, **options) -> None:
        followups = FollowUp.objects.select_related("programme").filter(year=year)
        if programme is not None:
            followups = followups.filter(programme_id=programme)
        found = list(followups[:2])
        if not found:
            raise CommandError(_("There is no follow-up for %(year)s.") % {"year": year})
        if len(found) > 1:
            raise CommandError(
                _("Several programmes have a follow-up for %(year)s; name one with --programme.")
                % {"year": year}
            )
        data = year_workbook(found[0])
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise CommandError(
                _("Could not write %(path)s: %(error)s") % {"path": output, "error": error.strerror}
            ) from error
        self.stdout.write(
            _("Wrote %(path)s (%(size)s bytes).") % {"path": output, "size": len(data)}
        )
