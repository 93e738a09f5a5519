"""File storage that never leaves a half-written file under a final name."""

import os
import tempfile
from contextlib import suppress

from django.core.files.storage import FileSystemStorage

TEMP_PREFIX = ".tmp-"
TEMP_SUFFIX = ".part"


class AtomicFileSystemStorage(FileSystemStorage):
    """Writes each file under a temporary name in the target folder, flushes
    it to disk and only then links it under its final name.

    A full disk, a read-only folder or a crash part-way leaves at most a
    ``.tmp-…part`` file (``verify_reports`` lists them), never a truncated
    file under the name the database records. An existing file is never
    replaced: the final name is linked, not renamed over.
    """

    def _save(self, name: str, content) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        if self.directory_permissions_mode is not None:
            old_umask = os.umask(0o777 & ~self.directory_permissions_mode)
            try:
                os.makedirs(directory, self.directory_permissions_mode, exist_ok=True)
            finally:
                os.umask(old_umask)
        else:
            os.makedirs(directory, exist_ok=True)
        handle, temp_path = tempfile.mkstemp(dir=directory, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
        try:
            with os.fdopen(handle, "wb") as out:
                content.seek(0) if hasattr(content, "seek") else None
                for chunk in content.chunks():
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(temp_path, self.file_permissions_mode)
            while True:
                try:
                    os.link(temp_path, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            with suppress(FileNotFoundError):
                os.unlink(temp_path)
        _fsync_directory(os.path.dirname(full_path))
        return str(name).replace("\\", "/")


def _fsync_directory(directory: str) -> None:
    """Makes the new directory entry itself durable."""
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
