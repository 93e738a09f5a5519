from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from followups.archive import file_digest, orphan_files
from followups.models import ArchivedReport, FollowUp


class Command(BaseCommand):
    help = _(
        "Checks every archived report file against its size and SHA-256 checksum and "
        "every approved year for its archived file; lists files in the archive that no "
        "archived report names (remove them with remove_orphan_reports). Exits non-zero "
        "naming each problem."
    )

    def handle(self, *args, **options) -> None:
        archives = list(ArchivedReport.objects.select_related("followup__programme").order_by("pk"))
        problems = [self.check_archive(archive) for archive in archives]
        problems = [problem for problem in problems if problem]
        named = {archive.file.name for archive in archives}
        for followup in FollowUp.objects.filter(status=FollowUp.Status.APPROVED).select_related(
            "programme"
        ):
            if not followup.report_file or followup.report_file.name not in named:
                problems.append(
                    _("APPROVED WITHOUT ARCHIVE %(followup)s: no archived report file")
                    % {"followup": followup}
                )
        for problem in problems:
            self.stderr.write(problem)
        orphans = orphan_files()
        for name in orphans:
            self.stdout.write(_("ORPHAN %(file)s (no archived report names it)") % {"file": name})
        if problems:
            raise CommandError(
                _("%(bad)s of %(count)s archived reports failed the check.")
                % {"bad": len(problems), "count": len(archives)}
            )
        self.stdout.write(
            _("All %(count)s archived reports match their checksums.") % {"count": len(archives)}
        )

    def check_archive(self, archive: ArchivedReport) -> str:
        """The problem with one archived file, or "" (hashes every byte:
        no cached result is trusted here)."""
        name = archive.file.name
        if not default_storage.exists(name):
            return _("MISSING %(file)s (%(report)s)") % {"file": name, "report": archive}
        found, size = file_digest(name)
        if found != archive.sha256 or size != archive.size:
            return _("CHANGED %(file)s (%(report)s): expected %(expected)s, found %(found)s") % {
                "file": name,
                "report": archive,
                "expected": archive.sha256,
                "found": found,
            }
        return ""
