from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from followups.models import FollowUp
from followups.report.render import render_report_pdf


class Command(BaseCommand):
    help = _(
        "Writes a year's annual report as PDF: the archived file when the year is "
        "approved, otherwise a new rendering, exactly as the web download."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True, help=_("The year followed up."))
        parser.add_argument(
            "--programme", type=int, help=_("Programme id; needed when several have the year.")
        )
        parser.add_argument("--output", required=True, help=_("The PDF file to write."))

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
        followup = found[0]
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
