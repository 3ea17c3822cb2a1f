"""Every error report_harvester raises on purpose.

    HarvesterError                 base: the CLI turns it into one line, exit 1
    ├── InputError                 an input file cannot be read or is not a page
    ├── StoreError                 the database cannot be opened or written
    │   ├── StoreLockedError       another process holds the database
    │   └── SchemaTooNewError      the database was written by a newer version
    ├── SourcesError               the sources file is invalid (exit 2)
    └── HarvestLockedError         another harvest is running on the same database

Parsers never raise for a bad page: they return a ``ParseFailure`` or a
``Report`` with warnings. These exceptions are for the things around them.
"""

from __future__ import annotations


class HarvesterError(Exception):
    """Base class; ``str(exc)`` is a complete one-line message for a user."""

    exit_code: int = 1


class InputError(HarvesterError):
    """Raised when an input path does not exist or cannot be read."""


class StoreError(HarvesterError):
    """Raised when the database file cannot be opened, migrated or written."""


class StoreLockedError(StoreError):
    """Raised when another writer holds the database lock for too long."""


class SchemaTooNewError(StoreError):
    """Raised when the database's schema version is newer than this code knows."""


class SourcesError(HarvesterError):
    """Raised when the sources file is missing or invalid; the message names the line."""

    exit_code = 2


class HarvestLockedError(HarvesterError):
    """Raised when a second harvest starts on a database that one is already using."""
