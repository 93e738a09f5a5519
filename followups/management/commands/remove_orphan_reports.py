from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from followups.archive import orphan_files


class Command(BaseCommand):
    help = _(
        "Removes files in the report archive that no archived report names (left by a "
        "decision that failed after its file was written). Never removes a file an "
        "archived report names."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help=_("List the files, remove nothing.")
        )

    def handle(self, *args, dry_run: bool, **options) -> None:
        orphans = orphan_files()
        for name in orphans:
            if not dry_run:
                default_storage.delete(name)
            self.stdout.write(
                (_("Would remove %(file)s") if dry_run else _("Removed %(file)s")) % {"file": name}
            )
        self.stdout.write(_("%(count)s orphan files.") % {"count": len(orphans)})
