from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from followups.access import may_import
from followups.imports import ERROR, apply_import, build_preview
from followups.management.years import add_year_arguments, followup_for_year


class Command(BaseCommand):
    help = _(
        "Imports activities from a workbook as the web page does: prints the preview, "
        "saves every row or none, and exits non-zero on any error row."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help=_("The workbook (.xlsx)."))
        add_year_arguments(parser)
        parser.add_argument("--user", required=True, help=_("Username the import is made as."))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Show the preview; save nothing.")
        )

    def handle(self, *args, file: str, year: int, programme, user: str, dry_run: bool, **options):
        followup = followup_for_year(year, programme)
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(_("There is no user %(name)s.") % {"name": user})
        if not may_import(account):
            raise CommandError(_("The user %(name)s may not import activities.") % {"name": user})
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Could not read %(path)s: %(error)s") % {"path": file, "error": error.strerror}
            ) from error
        try:
            preview = build_preview(followup, path.name, data, account)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for row in preview.rows:
            self.stdout.write(f"{row.number}\t{row.label}\t{row.title}")
            for message in row.errors:
                self.stdout.write(f"\t{message}")
        if preview.has_errors:
            raise CommandError(
                _("Rows with errors: %(count)s; nothing was saved.")
                % {"count": preview.count(ERROR)}
            )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))
            return
        try:
            new, changed = apply_import(preview, followup, account)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            _("Imported: %(new)s new and %(changed)s changed activities.")
            % {"new": new, "changed": changed}
        )
