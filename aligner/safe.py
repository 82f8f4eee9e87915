"""Text from the input made safe to print or to write as a field: no document can steer a terminal.

Every Cc code point (C0, DEL, C1) is replaced 1:1, so offsets into the text stay valid: whitespace
controls by a space, the rest by U+FFFD. Lone surrogates (from JSON ``"\\ud800"`` escapes or file
names that are not UTF-8) become U+FFFD too: they cannot be written as UTF-8. So do the bidirectional
controls (``BIDI_CONTROLS``: U+202E and the like), which would make an id or a line read in another
order than it is written ("Trojan Source"); ``read.clean_text`` removes the same ones (and the marks)
from document text.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROLS = {
    code: " " if chr(code) in "\t\n\r\x0b\x0c" else "\ufffd"
    for code in range(0xA0)  # Cc is exactly U+0000-001F and U+007F-009F
    if unicodedata.category(chr(code)) == "Cc"
}
_CONTROLS.update({code: "\ufffd" for code in range(0xD800, 0xE000)})
# Bidirectional embeddings and overrides (LRE..RLO) and isolates (LRI..PDI): they reorder what follows.
# The marks (LRM, RLM, ALM) reorder nothing past their neighbours and are part of Arabic-script text.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
BIDI_MARKS = "\u200e\u200f\u061c"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_CONTROLS.update({code: "\ufffd" for code in range(0x206A) if _BIDI.fullmatch(chr(code))})
# In a field whose format escapes tab, newline and carriage return (TSV), those three stay.
_FIELD_CONTROLS = {code: char for code, char in _CONTROLS.items() if chr(code) not in "\t\n\r"}
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff{BIDI_CONTROLS}]")


def safe_text(text: str) -> str:
    """Whitespace controls become spaces; other controls, bidi controls and lone surrogates U+FFFD (1:1)."""
    return text.translate(_CONTROLS) if _UNSAFE.search(text) else text  # most text has none


def safe_field(text: str) -> str:
    """As ``safe_text``, but tab, newline and carriage return are kept for the format to escape."""
    return text.translate(_FIELD_CONTROLS) if _UNSAFE.search(text) else text


def safe_id(value: str) -> str:
    """An id printable and writable in any output, on one line: controls, bidi controls and lone
    surrogates become U+FFFD, and so do tab, newline and carriage return."""
    return safe_field(value).replace("\t", "\ufffd").replace("\n", "\ufffd").replace("\r", "\ufffd")


def safe_lines(text: str) -> str:
    """A message of several lines, each made safe (newlines kept)."""
    return "\n".join(safe_text(line) for line in text.split("\n"))


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9.,]*")  # "-5", "+1,200.50": no formula, left as they are


def spreadsheet_cell(text: str) -> str:
    """A CSV cell a spreadsheet opens as text: controls replaced as ``safe_field`` does, and a cell that
    would start a formula prefixed with ``'`` (OWASP's advice; plain numbers such as -5 stay numbers)."""
    text = safe_field(text)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text
