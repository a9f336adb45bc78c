"""Expected storage failures, each with a message a person can act on."""

from __future__ import annotations

from ..core.errors import RenewalCoachError


class StorageError(RenewalCoachError):
    """The database could not be opened, read or written. ``str(err)`` is the user message."""


class DatabaseMissingError(StorageError):
    """No file at the given path and creating one was not asked for."""


class DatabaseCorruptError(StorageError):
    """The file is damaged or is not an SQLite database at all."""


class NotOurDatabaseError(DatabaseCorruptError):
    """A valid SQLite file, but it belongs to some other program."""


class DatabaseEmptyError(StorageError):
    """The file exists but holds nothing (zero bytes, or SQLite with no tables): it is not made
    into a portfolio unless the person asks for a new portfolio in that file."""


class DatabaseTooNewError(StorageError):
    """Written by a newer version of the app; opening it could lose data, so we refuse."""


class DatabaseNeedsUpgradeError(StorageError):
    """Written by an older version and opened read-only, so it cannot be upgraded now."""


class DatabaseLockedError(StorageError):
    """Another program (or another copy of this app) is writing to the file."""


class DatabaseInUseError(DatabaseLockedError):
    """Another live process has the file open for changes (its writer lock, see
    ``storage/lock.py``); ``owner`` says which, when it could be read."""

    def __init__(self, message: str, owner: object | None = None) -> None:
        super().__init__(message)
        self.owner = owner


class DatabaseReadOnlyError(StorageError):
    """The file or its folder cannot be written."""


class DiskFullError(StorageError):
    """The disk is full: the last change was not saved."""
