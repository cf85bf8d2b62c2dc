"""Console output that never crashes, on any code page.

On Chinese Windows, a pipe or a redirected console (an Excel macro capturing output, a .bat file
writing a log) is encoded in GBK (cp936), which has no ›, ✓ or ✗. Python would raise
UnicodeEncodeError in the middle of a message. setup_streams() makes stdout and stderr replace
such characters with the closest character the encoding has (› → >, ✓ → √, ✗ → ×), or ? when
there is none. JSON is written with ensure_ascii on such streams (see cli.emit_json), so it stays
exact; --result files are always UTF-8.
"""
from __future__ import annotations

import codecs
import sys

HANDLER = "govxl-fallback"

# Only characters the stream cannot encode are looked up here: on UTF-8 nothing changes.
FALLBACKS = {
    "›": ">", "‹": "<", "»": ">>", "«": "<<", "→": "->", "←": "<-", "⇒": "=>",
    "✓": "√", "✔": "√", "☑": "√", "✗": "×", "✘": "×", "☒": "×",
    "…": "...", "—": "-", "–": "-", "―": "-", "‐": "-", "−": "-",
    "“": '"', "”": '"', "‘": "'", "’": "'", "•": "·", "·": ".", "　": " ",
    "\u00a0": " ", "\u200b": "", "\ufeff": "",
}


def _fallback(exc: UnicodeError):
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start:exc.end]:
        rep = FALLBACKS.get(ch, "?")
        try:
            rep.encode(exc.encoding)
        except (UnicodeEncodeError, LookupError):
            rep = rep.encode("ascii", "replace").decode("ascii") if rep.isascii() else "?"
        out.append(rep)
    return "".join(out), exc.end


def register():
    try:
        codecs.lookup_error(HANDLER)
    except LookupError:
        codecs.register_error(HANDLER, _fallback)


def setup_streams(streams=None):
    """Make the given text streams (default: stdout and stderr) fall back instead of raising."""
    register()
    for stream in streams if streams is not None else (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors=HANDLER)
        except (AttributeError, ValueError, LookupError):
            pass


def is_utf8(stream) -> bool:
    enc = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return enc in ("utf8", "utf8sig", "cp65001")


def safe_text(text: str, encoding: str) -> str:
    """text as it will appear on a stream of that encoding (for tests and previews)."""
    register()
    return text.encode(encoding, HANDLER).decode(encoding)
