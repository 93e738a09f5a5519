from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from followups.imports import cleanup_pending_imports
from followups.renderings import cleanup_renderings


class Command(BaseCommand):
    help = _(
        "Removes report renderings (draft PDFs and decision documents) older than the "
        "given hours, keeping the newest of each year and kind, and uploaded workbooks "
        "whose import was never confirmed. Archived reports are never touched. Run it "
        "daily (README, Production)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--hours", type=int, default=24, help=_("Age in hours (24)."))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("List the files, remove nothing.")
        )

    def handle(self, *args, hours: int, dry_run: bool, **options) -> None:
        removed = cleanup_renderings(older_than=timedelta(hours=hours), dry_run=dry_run)
        for name in removed:
            self.stdout.write(name)
        self.stdout.write(_("%(count)s renderings removed.") % {"count": len(removed)})
        pending = cleanup_pending_imports(older_than=timedelta(hours=hours), dry_run=dry_run)
        for name in pending:
            self.stdout.write(name)
        self.stdout.write(_("%(count)s unconfirmed imports removed.") % {"count": len(pending)})
