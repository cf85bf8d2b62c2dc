"""Text normalisation shared by every reader: NFKC, whitespace, punctuation, splitting."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from . import defaults

_WS = re.compile(r"\s+")
_BRACKETED = re.compile(r"[（(【\[].*?[）)】\]]")
_SEP = re.compile("[" + re.escape(defaults.SEGMENT_SEPARATORS) + "]")
_ALIAS_SEP = re.compile("[" + re.escape(defaults.ALIAS_SEPARATORS) + "]")


def cell_text(value) -> str:
    """A cell value as text, as a person would read it (1.0 → "1")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """NFKC and no whitespace: how names and headers are compared."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=65536)
def norm_header(text: str) -> str:
    """Header comparison form: NFKC, no whitespace, trailing colon and asterisk dropped."""
    return norm(text).strip("*:：").lower()


def strip_brackets(text: str) -> str:
    return _BRACKETED.sub("", text)


# \w without "_" is exactly Unicode's letters and numbers (categories L*, N*): checked over every code
# point by tests/test_parsers.py::test_norm_title_keeps_letters_and_numbers_only
_NOT_LN = re.compile(r"[\W_]+")


@lru_cache(maxsize=262144)
def norm_title(text: str) -> str:
    """Titles compared for duplicates: NFKC, whitespace and all punctuation/symbols removed."""
    return _NOT_LN.sub("", unicodedata.normalize("NFKC", text)).lower()


def split_segments(text: str) -> list[str]:
    """Split a free-text adoption / instruction cell into its parts."""
    return [s.strip() for s in _SEP.split(text) if s.strip()]


def split_aliases(text: str) -> list[str]:
    return [s.strip() for s in _ALIAS_SEP.split(text or "") if s.strip()]
