"""Parsers for raw legal texts (TXT, HTML, DOCX, PDF) into content model v1 Documents.

See docs/parsing.md for what is recognised and the heuristics behind it.
"""

from offline_index.parsers.document import (
    SUFFIXES,
    apply_meta,
    clean_lines,
    load_sidecar,
    parse_file,
    parse_folder,
    parse_metadata,
    parse_text,
)
from offline_index.parsers.fields import field_for_url, source_urls

# Bump when parsing changes: the library's parse cache is keyed on it.
PARSER_VERSION = "3"

__all__ = [
    "PARSER_VERSION",
    "SUFFIXES",
    "apply_meta",
    "clean_lines",
    "field_for_url",
    "load_sidecar",
    "parse_file",
    "parse_folder",
    "parse_metadata",
    "parse_text",
    "source_urls",
]
