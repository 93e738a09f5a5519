import hashlib

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from followups.models import ArchivedReport


class Command(BaseCommand):
    help = _(
        "Checks every archived report file against its SHA-256 checksum; exits "
        "non-zero naming each missing or changed file."
    )

    def handle(self, *args, **options) -> None:
        problems = []
        archives = ArchivedReport.objects.select_related("followup__programme").order_by("pk")
        count = 0
        for archive in archives.iterator():
            count += 1
            name = archive.file.name
            if not default_storage.exists(name):
                problems.append(
                    _("MISSING %(file)s (%(report)s)") % {"file": name, "report": archive}
                )
                continue
            digest = hashlib.sha256()
            with default_storage.open(name, "rb") as stored:
                for chunk in iter(lambda stored=stored: stored.read(1 << 20), b""):
                    digest.update(chunk)
            if digest.hexdigest() != archive.sha256:
                problems.append(
                    _("CHANGED %(file)s (%(report)s): expected %(expected)s, found %(found)s")
                    % {
                        "file": name,
                        "report": archive,
                        "expected": archive.sha256,
                        "found": digest.hexdigest(),
                    }
                )
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                _("%(bad)s of %(count)s archived reports failed the check.")
                % {"bad": len(problems), "count": count}
            )
        self.stdout.write(
            _("All %(count)s archived reports match their checksums.") % {"count": count}
        )
