"""Parse: the 소개서 form → `Case` records (the case book in `book`, its parts in `form`, `sections`, `gazetteer`)."""

from casekit.parse.book import TocEntry, parse_document, parse_file, read_toc
from casekit.parse.model import SECTION_KINDS, Case, Section

__all__ = ["Case", "Section", "SECTION_KINDS", "parse_document", "parse_file", "TocEntry", "read_toc"]
