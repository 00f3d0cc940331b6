"""Errors a user can cause. Their message is one sentence, fit to show as is."""


class CeodeskError(Exception):
    """A problem caused by the user's input or data; ``str(err)`` is shown verbatim."""


class InputError(CeodeskError):
    """Text the user typed could not be read (a date, a value, a key)."""


class NotFoundError(CeodeskError):
    """The user named something that does not exist."""


class DatabaseRefused(CeodeskError):
    """The database file cannot be opened safely; it was left untouched."""


class ConflictError(CeodeskError):
    """An action no longer fits the stored data (e.g. undo after a change elsewhere)."""


class StorageError(CeodeskError):
    """The database file could not do what was asked; nothing was changed."""


class DatabaseLocked(StorageError):
    """Another program holds the database's write lock."""


class DatabaseReadOnly(StorageError):
    """The database file (or its folder) cannot be written."""


class DatabaseCorrupt(StorageError):
    """SQLite finds the file damaged."""
