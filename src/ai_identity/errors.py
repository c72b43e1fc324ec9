"""The one error tree of ai-identity.

    AIIdentityError                 root; carries an HTTP status and a CLI exit code
    ├── UsageError (400, exit 2)    the caller asked for something malformed (bad flag, bad value)
    ├── ConfigError (400, exit 2)   a configuration key is unknown or a required value is missing
    ├── RecordError (422, exit 1)   one record failed validation: names the record, field and expected form
    ├── SourceError (503, exit 3)   a source could not be read (absent, corrupt, locked, down)
    ├── NotFoundError (404, exit 1) the asked-for user or identity does not exist
    └── MissingDependencyError      an optional package is not installed: says the exact pip line

Messages never carry a personal value: they name fields and kinds of value, not the values themselves.
"""

from __future__ import annotations


class AIIdentityError(Exception):
    http_status = 500
    exit_code = 1


class UsageError(AIIdentityError):
    http_status = 400
    exit_code = 2


class ConfigError(AIIdentityError):
    http_status = 400
    exit_code = 2


class RecordError(AIIdentityError):
    """A record failed validation. ``record`` and ``field`` name where, ``expected`` says the form."""

    http_status = 422
    exit_code = 1

    def __init__(self, record: str, field: str, expected: str, key: str | None = None) -> None:
        self.record, self.field, self.expected, self.key = record, field, expected, key
        where = f"{record}[{key}]" if key is not None else record
        super().__init__(f"{where}.{field}: expected {expected}")


class SourceError(AIIdentityError):
    http_status = 503
    exit_code = 3


class NotFoundError(AIIdentityError):
    http_status = 404
    exit_code = 1


class MissingDependencyError(AIIdentityError):
    exit_code = 1

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(f'{package} is not installed: pip install "ai-identity[{extra}]"')
