"""Text normalisation shared by every reader: NFKC, whitespace, punctuation, splitting."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .. import defaults

_WS = re.compile(r"\s+")
OPEN_BRACKETS = "（(【["  # a bracketed remark starts with one of these …
CLOSE_BRACKETS = "）)】]"  # … and ends with one of these
_BRACKETED = re.compile(f"[{re.escape(OPEN_BRACKETS)}].*?[{re.escape(CLOSE_BRACKETS)}]")
# the first opening bracket of a text (a match), or None: strip_brackets keeps everything before it
first_bracket = re.compile(f"[{re.escape(OPEN_BRACKETS)}]").search
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


def cell_str(value) -> str:
    """cell_text(value).strip(), with the common case (a text cell) first: run on every cell of a register."""
    return value.strip() if type(value) is str else cell_text(value).strip()


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


# Titles made only of ASCII, CJK unified ideographs, fullwidth ASCII and the usual Chinese punctuation
# need no NFKC pass (most of a title key's cost): none of these characters composes with
# another, each is NFKC-stable except fullwidth ASCII (→ ASCII, the same letter, digit or punctuation)
# and …/U+3000 (→ "..."/" ", removed like themselves). So NFKC and the removal of what is not a letter
# or number commute; fullwidth letters and digits left over are mapped to ASCII. The tests compare both
# ways on every one of these characters and on random text.
_PLAIN_CLASS = "\x00-\x7f\u3000-\u3003\u3008-\u3011\u4e00-\u9fff\uff01-\uff5e\u2014\u2018\u2019\u201c\u201d\u2026"
_PLAIN_TITLE = re.compile(f"[{_PLAIN_CLASS}]*")
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}


@lru_cache(maxsize=262144)
def norm_title(text: str) -> str:
    """Titles compared for duplicates: NFKC, whitespace and all punctuation/symbols removed."""
    if _PLAIN_TITLE.fullmatch(text):
        return _plain_key(text)
    return _NOT_LN.sub("", unicodedata.normalize("NFKC", text)).lower()


def _plain_key(text: str) -> str:
    """norm_title of a plain title (or of plain titles joined by _JOIN): no NFKC pass needed."""
    key = _NOT_LN.sub("", text)
    if _FULLWIDTH_ALNUM.search(key):
        key = key.translate(_FULLWIDTH)
    return key.lower()


# A Hangul syllable: a letter (kept by the removal, unchanged by lower()) that no plain title holds
_JOIN = "\uac00"
_NOT_PLAIN = 0xFFFFFFFF
_TABLE_MIN = 512  # titles at once that make the table worth building
_KEY_TABLE: list = []


def _key_table():
    """Per BMP code point: what _plain_key makes of it — its key's code point, 0 when removed, _NOT_PLAIN
    for a character no plain title holds (_JOIN maps to itself). Built on first use, not at import."""
    if not _KEY_TABLE:
        import numpy as np

        table = np.full(0x10000, _NOT_PLAIN, dtype=np.uint32)
        bmp = np.arange(0x10000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
        plain = np.zeros(0x10000, dtype=bool)
        for m in re.finditer(f"[{_PLAIN_CLASS}]+", bmp):
            plain[m.start():m.end()] = True
        table[plain] = 0
        kept = plain.copy()
        for m in _NOT_LN.finditer(bmp):
            kept[m.start():m.end()] = False
        points = np.flatnonzero(kept)
        # _plain_key works character by character (a removal of single characters, a one-to-one map of
        # fullwidth letters and digits, lower() of ASCII and fullwidth letters): the kept characters' keys
        # are the key of all of them in a row, one character each
        keys = _plain_key("".join(map(chr, points.tolist())))
        if len(keys) == len(points):
            table[points] = np.frombuffer(keys.encode("utf-32-le"), dtype=np.uint32)
            table[ord(_JOIN)] = ord(_JOIN)
        else:  # not one character each after all: every title goes the way of one title at a time
            table[:] = _NOT_PLAIN
        _KEY_TABLE.append(table)
    return _KEY_TABLE[0]


def _plain_keys(titles: list) -> "list | None":
    """The keys of plain titles in one pass over their code points (numpy: a table lookup, the removed
    characters dropped); None when a title is not plain or holds _JOIN."""
    import numpy as np

    joined = _JOIN.join(titles)
    if joined.count(_JOIN) != len(titles) - 1:
        return None
    try:
        a = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate
        return None
    if a.size and int(a.max()) > 0xFFFF:
        return None
    k = _key_table()[a]
    if (k == _NOT_PLAIN).any():
        return None
    return k[k != 0].tobytes().decode("utf-32-le").split(_JOIN)


def norm_titles(titles: list) -> list:
    """[norm_title(t) for t in titles] (uncached): when all are plain titles, in one pass over them joined
    (_plain_keys) — a regex removal costs per call as much as per character (a register's titles: half
    the time). Plain titles hold no character whose lower case depends on its neighbours (as Greek
    sigma's does)."""
    # a few titles (a county register) go one at a time rather than build the table for them
    keys = _plain_keys(titles) if titles and (_KEY_TABLE or len(titles) >= _TABLE_MIN) else None
    if keys is None:
        return [norm_title.__wrapped__(t) for t in titles]
    return keys


def split_segments(text: str) -> list[str]:
    """Split a free-text adoption / instruction cell into its parts."""
    return [s.strip() for s in _SEP.split(text) if s.strip()]


def split_aliases(text: str) -> list[str]:
    return [s.strip() for s in _ALIAS_SEP.split(text or "") if s.strip()]


def per_text_sums(texts: list, *weighs) -> "list | None":
    """For each weigh: [sum(weight of each character of t) for t in texts] as numpy ints, over the texts'
    code points joined (UTF-32, one pass in numpy instead of a Python call a text); a weigh maps the array
    of code points to an array of weights. None when a text holds NUL (the join) or a lone surrogate, or
    a weigh returns None."""
    import numpy as np

    try:
        a = np.frombuffer("\x00".join(texts).encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:
        return None
    joins = np.flatnonzero(a == 0)
    if len(joins) != len(texts) - 1:
        return None
    starts, ends = np.concatenate(([0], joins + 1)), np.concatenate((joins, [len(a)]))
    out = []
    for weigh in weighs:
        w = weigh(a)
        if w is None:
            return None
        total = np.concatenate(([0], np.cumsum(w, dtype=np.int64)))  # a text's sum stops short of its join
        out.append(total[ends] - total[starts])
    return out


# ---- display width ---------------------------------------------------------------------------------

class _CharWidths(dict):
    """Character → display width (2 for East Asian wide/fullwidth), each character looked up once."""

    def __missing__(self, ch):
        w = self[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return w


_CHAR_WIDTHS = _CharWidths()


# Blocks whose every character is East Asian Wide or Fullwidth (checked in tests/test_parsers.py):
# removed in one regex pass, the rest of a text is usually ASCII and needs no per-character lookup
_WIDE_BLOCKS = re.compile("[\u3000-\u303e\u3041-\u3096\u30a1-\u30fa\u3400-\u4dbf\u4e00-\u9fff"
                          "\uac00-\ud7a3\uff01-\uff60\uffe0-\uffe6]+")


def display_width(text: str) -> int:
    """Width in Excel column units and console columns alike: a Chinese (East Asian wide or fullwidth)
    character takes two."""
    if text.isascii():
        return len(text)
    rest = _WIDE_BLOCKS.sub("", text)
    wide = 2 * (len(text) - len(rest))
    return wide + (len(rest) if rest.isascii() else sum(map(_CHAR_WIDTHS.__getitem__, rest)))


def number_text(x) -> str:
    """A number as a person writes it in a message: 3, not 3.0; 2.5 as 2.5."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
