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
