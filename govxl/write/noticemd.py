"""The notice's Markdown: the template renders it, the Word layout (noticedocx) reads it as blocks.

The Markdown dialect the template may use (kept small on purpose, all of it also reads well
in any Markdown viewer):

- ``# text``   title (centred, 二号 方正小标宋简体); consecutive ``#`` lines are title lines.
- ``## text``  first-level heading (黑体); a heading that starts with 附件 is set flush left.
- ``### text`` second-level heading (楷体_GB2312).
- ``| a | b |`` a table; the first row is the header (repeated on every page), the
  ``|---|`` separator row is optional.
- ``<p align="left">text</p>`` a paragraph without first-line indent (主送机关);
  ``<p align="right">text</p>`` right-aligned lines (署名 and 成文日期: two consecutive ones are
  placed as GB/T 9704 7.3.5.2 says); ``<p align="center">text</p>`` centred.
- ``<div style="page-break-after: always"></div>`` a page break.
- ``**bold**`` inside a paragraph.
- Every other non-blank line is body text; lines not separated by a blank line join into one
  paragraph. A paragraph starting with 附件： gets a blank line above it (附件说明).
"""
from __future__ import annotations

import re

PAGE_BREAK_RE = re.compile(r"^<div\s+style=[\"']page-break-(?:after|before):\s*always;?[\"']\s*>\s*</div>$", re.IGNORECASE)
ALIGNED_P_RE = re.compile(r"^<p\s+align=[\"'](left|right|center)[\"']\s*>(.*)</p>$", re.IGNORECASE)
TABLE_SEPARATOR_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)


def parse_markdown(text: str) -> list[dict]:
    """The small Markdown dialect of the module docstring → a list of blocks."""
    blocks: list[dict] = []
    para: list[str] = []
    table: list[list[str]] = []

    def flush_para():
        if para:
            blocks.append({"kind": "p", "text": _join_lines(para), "align": None})
            para.clear()

    def flush_table():
        if table:
            blocks.append({"kind": "table", "rows": [list(r) for r in table]})
            table.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("|"):
            flush_para()
            if TABLE_SEPARATOR_RE.match(line):
                continue
            cells = line.strip("|").split("|")
            table.append([c.strip() for c in cells])
            continue
        flush_table()
        if not line:
            flush_para()
            continue
        if line.startswith("<!--") and line.endswith("-->"):
            continue
        m = re.match(r"^(#{1,4})\s+(.*)$", line)
        if m:
            flush_para()
            kind = {1: "title", 2: "h1", 3: "h2", 4: "h3"}[len(m.group(1))]
            blocks.append({"kind": kind, "text": m.group(2).strip()})
            continue
        if PAGE_BREAK_RE.match(line):
            flush_para()
            blocks.append({"kind": "pagebreak"})
            continue
        m = ALIGNED_P_RE.match(line)
        if m:
            flush_para()
            blocks.append({"kind": "p", "text": m.group(2).strip(), "align": m.group(1).lower()})
            continue
        para.append(line)
    flush_para()
    flush_table()
    return blocks


def _join_lines(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        if out and line and (ord(out[-1]) < 0x2E80 and ord(line[0]) < 0x2E80):
            out += " " + line
        else:
            out += line
    return out


def plain_text(text: str) -> str:
    """The text without its inline markup: **bold** as plain text, <br> as a line break."""
    return BR_RE.sub("\n", BOLD_RE.sub(r"\1", text))

