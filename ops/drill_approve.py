"""Approves the demo 2021 follow-up through the yearly cycle's own services
(submit, then the board's decision), so the restore drill backs up a real
archived report: a PDF rendered by the product, written to MEDIA_ROOT when
the approval commits, with its SHA-256 in the database.

Run by ops/restore_drill.sh on a database that has had ``load_demo``:

    DATABASE_URL=... MEDIA_ROOT=... .venv/bin/python ops/drill_approve.py

Prints the archived file's name and checksum.
"""

import os
import sys
from datetime import date
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huddinge_safety.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402

from followups import decisions, services  # noqa: E402
from followups.demo import PROGRAMME, YEAR  # noqa: E402
from followups.models import FollowUp  # noqa: E402


def main() -> int:
    users = get_user_model().objects
    followup = FollowUp.objects.get(
        programme__name=PROGRAMME["name"], programme__first_year=PROGRAMME["first_year"], year=YEAR
    )
    followup = services.submit(followup, users.get(username="handlaggare"))
    # Outside any transaction, so the approval commits on return and its
    # on_commit hook writes the file before the check below.
    archive = decisions.register_decision(
        followup,
        users.get(username="sekreterare"),
        decided_by="Kommunstyrelsen",
        decision_date=date(2022, 3, 14),
        decision_paragraph="§ 11",
        registration_number=followup.registration_number or "KS-2022/177.173",
    )
    if not default_storage.exists(archive.file.name):
        print(f"The archived file {archive.file.name} was not written.", file=sys.stderr)
        return 1
    print(f"{archive.file.name} {archive.sha256}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
