"""Storages that really fail, for the tests of what a failing disk does to
the archive and the renderings. They subclass the project's storage and fail
where the operating system would: on writing."""

import errno

from huddinge_safety.storage import AtomicFileSystemStorage


class FullDiskStorage(AtomicFileSystemStorage):
    """Every write under ``reports/`` (the archive) fails as a full disk does;
    everything else is written as usual."""

    prefix = "reports/"

    def _save(self, name, content):
        if name.startswith(self.prefix):
            raise OSError(errno.ENOSPC, "No space left on device", name)
        return super()._save(name, content)


class FullDiskForRenderingsStorage(FullDiskStorage):
    """Every write of a rendering fails as a full disk does."""

    prefix = "renderings/"


class ReadOnlyArchiveStorage(AtomicFileSystemStorage):
    """The archive folder is mounted read-only."""

    def _save(self, name, content):
        if name.startswith("reports/"):
            raise OSError(errno.EROFS, "Read-only file system", name)
        return super()._save(name, content)
