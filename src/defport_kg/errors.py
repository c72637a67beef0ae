"""The exception hierarchy of defport-kg.

DefportError                      every error the product raises on purpose; has an exit status
├── UsageError            (2)     bad arguments: unknown item, unit, query name, option value
│   └── NotFoundError     (2)     a named thing (item, unit, query, import) does not exist (HTTP 404)
├── InputError            (2)     unreadable or unparsable input; names file, line and column
│   ├── UnsafeInputError  (2)     input refused for safety (DOCTYPE, remote @context, too large)
│   └── TemplateError     (2)     a steward template cell is wrong; names sheet, row and column
├── QueryError            (2)     a SPARQL query that does not parse or is refused (HTTP 400)
├── ValidationFailed      (1)     SHACL violations: nothing was stored; carries the report
├── StoreLockedError      (3)     another process holds the store; says which and what to do
├── StoreError            (4)     the store is missing, damaged or failed to write
│   └── StoreFullError    (4)     a write failed for want of space (HTTP 507)
└── AnalysisError         (2)     an analysis cannot answer (e.g. a bound exceeded, zero demand)

The CLI prints ``str(error)`` and exits with ``error.exit_code``; the API maps ``http_status``.
"""

from __future__ import annotations

from typing import Any


class DefportError(Exception):
    exit_code = 2
    http_status = 500
    title = "Error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class UsageError(DefportError):
    exit_code = 2
    http_status = 400
    title = "Bad request"


class NotFoundError(UsageError):
    http_status = 404
    title = "Not found"


class InputError(DefportError):
    exit_code = 2
    http_status = 400
    title = "Unreadable input"

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        **details: Any,
    ) -> None:
        where = source or ""
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        full = f"{where}: {message}" if where else message
        super().__init__(full, source=source, line=line, column=column, **details)
        self.source = source
        self.line = line
        self.column = column


class UnsafeInputError(InputError):
    title = "Input refused"


class InputTooLargeError(UnsafeInputError):
    http_status = 413
    title = "Input too large"


class UnsupportedFormatError(InputError):
    http_status = 415
    title = "Unsupported media type"


class TemplateError(InputError):
    title = "Wrong cell in template"


class QueryError(DefportError):
    exit_code = 2
    http_status = 400
    title = "Bad query"


class ValidationFailed(DefportError):
    exit_code = 1
    http_status = 422
    title = "Validation failed"

    def __init__(self, message: str, report: Any = None) -> None:
        super().__init__(message)
        self.report = report


class StoreLockedError(DefportError):
    exit_code = 3
    http_status = 503
    title = "Store busy"


class StoreError(DefportError):
    exit_code = 4
    http_status = 500
    title = "Store error"


class StoreFullError(StoreError):
    """A write failed for want of space (disk full, quota, file size limit): the operator must act."""

    http_status = 507
    title = "Insufficient storage"


class AnalysisError(DefportError):
    exit_code = 2
    http_status = 400
    title = "Analysis cannot answer"
