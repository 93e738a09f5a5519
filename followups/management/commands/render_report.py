from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from followups.management.years import add_year_arguments, followup_for_year
from followups.report.render import render_report_pdf


class Command(BaseCommand):
    help = _(
        "Writes a year's annual report as PDF: the archived file when the year is "
        "approved, otherwise a new rendering, exactly as the web download."
    )

    def add_arguments(self, parser) -> None:
        add_year_arguments(parser)
        parser.add_argument("--output", required=True, help=_("The PDF file to write."))

    def handle(self, *args, year: int, programme: int | None, output: str, **options) -> None:
        followup = followup_for_year(year, programme)
        if followup.is_approved:
            if not followup.report_file or not default_storage.exists(followup.report_file.name):
                raise CommandError(_("The archived report file is missing."))
            with default_storage.open(followup.report_file.name, "rb") as archived:
                pdf = archived.read()
        else:
            pdf = render_report_pdf(followup).pdf
        Path(output).write_bytes(pdf)
        self.stdout.write(
            _("Wrote %(path)s (%(size)s bytes).") % {"path": output, "size": len(pdf)}
        )
