"""The archive of approved reports in storage: writing a file so that it is
whole or absent, reading it back only when its bytes are the archived ones,
and finding files that no archived report names (orphans)."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from huddinge_safety.storage import TEMP_PREFIX

from .models import ArchivedReport

ARCHIVE_DIR = "reports"
CHUNK = 1 << 20


class ArchiveIntegrityError(Exception):
    """An archived file is missing or its bytes are not the archived ones."""


def file_digest(name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with default_storage.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def write_archive(name: str, pdf: bytes, sha256: str) -> None:
    """Writes the archived file (temporary name, flushed, linked into place)
    and reads it back against its checksum.

    Raises ValidationError with a Swedish message when the storage refuses
    (full, read-only, the name taken by other bytes) or the stored bytes
    differ; a copy written under another name is removed again. A name
    already holding exactly these bytes is this document, and is kept.
    """
    try:
        saved = default_storage.save(name, ContentFile(pdf))
    except (OSError, ValueError) as error:
        raise ValidationError(
            _(
                "The report could not be written to the archive (%(reason)s). Nothing "
                "was changed: the year is still submitted. Contact the system "
                "administrator and try again."
            )
            % {"reason": type(error).__name__},
            code="storage",
        ) from error
    if saved != name:
        # The name was taken. Its file is this document only when it holds
        # exactly these bytes (a database restored without its decisions,
        # the demo loaded again); anyone else's file fails the decision.
        default_storage.delete(saved)
    found = file_digest(name)
    if found != (sha256, len(pdf)):
        raise ValidationError(
            _(
                "The archive did not keep the report as written. Nothing was changed: "
                "the year is still submitted. Contact the system administrator."
            ),
            code="storage_mismatch",
        )


def _cache_key(name: str, size: int, modified) -> str:
    return f"archive-verified:{hashlib.sha256(name.encode()).hexdigest()}:{size}:{modified}"


def verified_size(name: str, sha256: str, size: int) -> int:
    """Checks the archived file's size and checksum; the checksum's result is
    cached per file (its name, size and modification time), so a file is
    hashed again only when it changes. Raises ArchiveIntegrityError."""
    try:
        stored_size = default_storage.size(name)
        modified = default_storage.get_modified_time(name).timestamp()
    except (OSError, ValueError) as error:
        raise ArchiveIntegrityError(
            _("The archived file %(file)s is missing.") % {"file": name}
        ) from error
    if stored_size != size:
        raise ArchiveIntegrityError(
            _("The archived file %(file)s has %(found)s bytes, not %(expected)s.")
            % {"file": name, "found": stored_size, "expected": size}
        )
    key = _cache_key(name, stored_size, modified)
    if cache.get(key) == sha256:
        return stored_size
    found, _size = file_digest(name)
    if found != sha256:
        raise ArchiveIntegrityError(
            _("The archived file %(file)s does not match its checksum.") % {"file": name}
        )
    cache.set(key, sha256, timeout=None)
    return stored_size


def read_verified(name: str, sha256: str, size: int) -> bytes:
    """The archived bytes, read and hashed in one go, so nothing but the
    archived bytes can be served. Raises ArchiveIntegrityError."""
    try:
        with default_storage.open(name, "rb") as stored:
            data = stored.read(size + 1)
        modified = default_storage.get_modified_time(name).timestamp()
    except (OSError, ValueError) as error:
        raise ArchiveIntegrityError(
            _("The archived file %(file)s is missing.") % {"file": name}
        ) from error
    if len(data) != size:
        raise ArchiveIntegrityError(
            _("The archived file %(file)s has %(found)s bytes, not %(expected)s.")
            % {"file": name, "found": default_storage.size(name), "expected": size}
        )
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ArchiveIntegrityError(
            _("The archived file %(file)s does not match its checksum.") % {"file": name}
        )
    cache.set(_cache_key(name, size, modified), sha256, timeout=None)
    return data


@dataclass
class ArchiveProblem:
    archive: ArchivedReport
    message: str


def archive_problems(archives) -> list[ArchiveProblem]:
    problems = []
    for archive in archives:
        try:
            verified_size(archive.file.name, archive.sha256, archive.size)
        except ArchiveIntegrityError as error:
            problems.append(ArchiveProblem(archive, str(error)))
    return problems


def stored_files(folder: str = ARCHIVE_DIR) -> list[str]:
    """Every file under the folder in storage, as storage names."""
    if not default_storage.exists(folder):
        return []
    directories, files = default_storage.listdir(folder)
    names = [f"{folder}/{name}" for name in files]
    for directory in directories:
        names += stored_files(f"{folder}/{directory}")
    return sorted(names)


def orphan_files() -> list[str]:
    """Files under ``reports/`` that no archived report names: a decision
    whose transaction failed after its file was written, or a temporary file
    a crash left behind."""
    named = set(ArchivedReport.objects.values_list("file", flat=True))
    return [
        name
        for name in stored_files()
        if name not in named or name.rsplit("/", 1)[-1].startswith(TEMP_PREFIX)
    ]
