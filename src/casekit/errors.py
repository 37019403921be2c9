"""casekit's exception tree, rooted in one base class so the CLI can turn any of them into one line.

CasekitError
├── IngestError        a file could not be read or decoded (empty, binary, broken PDF …)
├── ParseError         text was read but holds no usable case
├── WorkspaceError     the workspace is missing, or a record in it is damaged
├── RubricError        a rubric YAML file is malformed (names the file, key path and line)
├── ScoreError         a judge's score was refused (out of range, conflict of interest …)
├── EmbeddingError     a model could not be loaded (offline, unknown name) or an index is stale
└── BatchError         a papermill batch could not be set up
"""

from __future__ import annotations


class CasekitError(Exception):
    """Base of every error casekit raises on purpose; the message is meant for the user."""


class IngestError(CasekitError):
    """A source file could not be read; the batch reports it and goes on."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class ParseError(CasekitError):
    """Text was read but no case could be made of it."""


class WorkspaceError(CasekitError):
    """The workspace on disk is missing or damaged."""


class RubricError(CasekitError):
    """A rubric file does not follow the schema."""


class ScoreError(CasekitError):
    """A score could not be stored."""


class EmbeddingError(CasekitError):
    """An embedding model could not be loaded or used."""


class BatchError(CasekitError):
    """A batch of notebooks could not be set up."""
