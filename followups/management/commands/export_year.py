from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from followups.management.years import add_year_arguments, followup_for_year
from followups.spreadsheets import year_workbook


class Command(BaseCommand):
    help = _(
        "Writes a year as one workbook (activities, goal assessments, area summaries, "
        "indicator values, guideline texts), the same as the web download for staff "
        "(confidential activities included unless --without-confidential)."
    )

    def add_arguments(self, parser) -> None:
        add_year_arguments(parser)
        parser.add_argument("--output", required=True, help=_("The XLSX file to write."))
        parser.add_argument(
            "--without-confidential",
            action="store_true",
            help=_("Leave confidential activities out (for a workbook that leaves the section)."),
        )

    def handle(
        self,
        *args,
        year: int,
        programme: int | None,
        output: str,
        without_confidential: bool,
        **options,
    ) -> None:
        followup = followup_for_year(year, programme)
        data = year_workbook(followup, confidential=not without_confidential)
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise CommandError(
                _("Could not write %(path)s: %(error)s") % {"path": output, "error": error.strerror}
            ) from error
        self.stdout.write(
            _("Wrote %(path)s (%(size)s bytes).") % {"path": output, "size": len(data)}
        )
