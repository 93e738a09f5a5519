import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from collaboration.models import Agreement, TertialFollowUp
from collaboration.tertial_report import render_tertial_report
from collaboration.tertials import find_tertial


class Command(BaseCommand):
    help = _(
        "Writes an agreement's tertial report as PDF, as the tertial page's download; a "
        "tertial nobody has saved yet gives the empty draft."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agreement", type=int, required=True, help=_("The agreement's id."))
        parser.add_argument("--year", type=int, required=True, help=_("The year, e.g. 2021."))
        parser.add_argument("--tertial", type=int, required=True, help=_("The tertial: 1, 2 or 3."))
        parser.add_argument("--output", required=True, help=_("The PDF file to write."))

    def handle(self, *args, agreement: int, year: int, tertial: int, output: str, **options):
        found = Agreement.objects.filter(pk=agreement).first()
        if found is None:
            raise CommandError(_("There is no agreement with id %(id)s.") % {"id": agreement})
        if not found.covers(year):
            raise CommandError(
                _("The year must lie within the agreement's period %(first)s–%(last)s.")
                % {"first": found.first_year, "last": found.last_year}
            )
        if tertial not in TertialFollowUp.Tertial.values:
            raise CommandError(_("The tertial must be 1, 2 or 3."))
        path = Path(output)
        folder = path.parent
        if path.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
            raise CommandError(_("Cannot write the file %(path)s.") % {"path": output})
        pdf = render_tertial_report(find_tertial(found, year, tertial)).pdf
        try:
            path.write_bytes(pdf)
        except OSError as error:
            raise CommandError(_("Cannot write the file %(path)s.") % {"path": output}) from error
        self.stdout.write(
            _("Wrote %(path)s (%(size)s bytes).") % {"path": output, "size": len(pdf)}
        )
