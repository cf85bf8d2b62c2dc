"""Finding the three report tables in a filled workbook laid out like govxl's output.

The tables are found by their printed labels, not by fixed cell addresses, so a clerk's own copy
(rows inserted above, tables on one sheet or on three, merged cells or not) reads the same.
Values are returned raw, with the cell they came from; judging them is checks.py's job.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..errors import col_letter
from ..normalise.text import cell_text, norm_title, strip_brackets
from . import tables as T

LEADING_NUMBER = re.compile(r"^(?:[（(]?[一二三四五六七八九十]+[)）、.．]|\d+\s*[.．、)）])")
_YEAR_TITLE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")


def filled_rows(grid) -> list[list[str]]:
    """Cells as text, every merged range carrying its top-left value."""
    rows = [[cell_text(v).strip() for v in r] for r in grid.rows]
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend([""] * (width - len(r)))
    for (r0, c0), (r1, c1) in grid.merged or ():
        if r0 >= len(rows) or c0 >= width:
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                rows[r][c] = value
    return rows


def cell_ref(grid, i: int, j: int) -> str:
    return f"{col_letter(grid.excel_col(j))}{grid.excel_row(i)}"


def raw(grid, i: int, j: int):
    row = grid.rows[i]
    return row[j] if j < len(row) else ""


@dataclass
class Cell:
    value: object  # as read: number, text, or "" for an empty cell
    ref: str  # "D7"
    sheet: str

    @property
    def where(self) -> str:
        return f"“{self.sheet}”工作表 {self.ref} 单元格"


# ---- table 二 ---------------------------------------------------------------------------------

_T2_COLS = (T.COL_ISSUED, T.COL_REPEALED, T.COL_IN_FORCE, T.COL_DECISIONS, T.COL_FEES)
_T2_COL_NORM = {norm_title(c): c for c in _T2_COLS}
_CONTENT_NORM = {norm_title(n): c for c, names in T.CONTENT_SYNONYMS.items() for n in (c, *names)}
CONTENT_COLUMNS = {content: cols for _s, cols, contents in T.TABLE2_SECTIONS for content in contents}


def _t2_col(text: str) -> Optional[str]:
    n = norm_title(text)
    if not n:
        return None
    if n in _T2_COL_NORM:
        return _T2_COL_NORM[n]
    if n.startswith(norm_title("本年收费金额")):
        return T.COL_FEES
    return None


@dataclass
class Table2Found:
    first_row: int  # 0-based row of the first column header
    rows: dict = field(default_factory=dict)  # content → ({column: (raw value, "D7")}, excel row)
    cells: dict = field(default_factory=dict)  # content → {column: Cell}


def parse_table2_grid(grid) -> Optional[Table2Found]:
    """Table 二 (or a 主动公开 summary laid out like it) in one sheet, or None."""
    if not grid.rows:
        return None
    filled = filled_rows(grid)
    current: Optional[dict] = None
    found: Optional[Table2Found] = None
    for i, r in enumerate(filled):
        names: dict[str, int] = {}
        for j, v in enumerate(r):
            col = _t2_col(v)
            if col and col not in names:
                names[col] = j
        if names:
            current = names
            if found is None:
                found = Table2Found(i)
            continue
        if current is None:
            continue
        first_value_col = min(current.values())
        for j in range(first_value_col):
            content = _CONTENT_NORM.get(norm_title(r[j]))
            if content is None or content in found.rows:
                continue
            cols = {}
            cells = {}
            for colname in CONTENT_COLUMNS[content]:
                if colname in current:
                    c = current[colname]
                    ref = cell_ref(grid, i, c)
                    cols[colname] = (_none_if_blank(raw(grid, i, c)), col_letter(grid.excel_col(c)))
                    cells[colname] = Cell(raw(grid, i, c), ref, grid.sheet)
            found.rows[content] = (cols, grid.excel_row(i))
            found.cells[content] = cells
            break
    if found is None or not found.rows:
        return None
    return found


def _none_if_blank(v):
    return None if cell_text(v).strip() == "" else v


# ---- table 三 ---------------------------------------------------------------------------------

def _strip_number(label: str) -> str:
    return LEADING_NUMBER.sub("", label.strip())


_T3_FULL = {norm_title(label): label for label in T.TABLE3_LABELS}
_T3_ALT: dict[tuple, str] = {}
for _label, _group, _kind in T.TABLE3_ROWS:
    for _form in (_strip_number(_label), strip_brackets(_strip_number(_label))):
        _T3_ALT.setdefault((_group, norm_title(_form)), _label)
_GROUP_NORM: dict[str, str] = {}
for _g, _rows in T.RESULT_GROUPS:
    if len(_rows) > 1:
        for _form in (_g, _strip_number(_g)):
            _GROUP_NORM[norm_title(_form)] = _g
_RESULTS_HEAD = {norm_title(T.ROW_RESULTS), norm_title(_strip_number(T.ROW_RESULTS))}


@dataclass
class Table3Found:
    sheet: str
    cells: dict = field(default_factory=dict)  # label → {column: Cell}
    unknown_rows: list = field(default_factory=list)  # (excel row, label text) of rows with values we cannot place
    group_rows: dict = field(default_factory=dict)  # group → {column: Cell} of a group's own row holding values


def _find_t3_header(filled) -> Optional[tuple[int, dict, int]]:
    target = {norm_title(c): c for c in T.TABLE3_COLUMNS}
    for i, r in enumerate(filled):
        if not any(norm_title(v) == "自然人" for v in r):
            continue
        cols: dict[str, int] = {}
        last = i
        for k in range(max(0, i - 1), min(len(filled), i + 3)):
            for j, v in enumerate(filled[k]):
                name = target.get(norm_title(v))
                if name and name not in cols:
                    cols[name] = j
                    last = max(last, k)
        if all(c in cols for c in T.TABLE3_COLUMNS):
            return i, cols, last
    return None


def parse_table3(grid) -> Optional[Table3Found]:
    filled = filled_rows(grid)
    head = _find_t3_header(filled)
    if head is None:
        return None
    _i, cols, last = head
    first_value = min(cols.values())
    found = Table3Found(grid.sheet)
    group: Optional[str] = None
    for i in range(last + 1, len(filled)):
        zone = [v for v in filled[i][:first_value] if v]
        has_values = any(cell_text(raw(grid, i, j)).strip() for j in cols.values())
        if not zone:
            if has_values:
                found.unknown_rows.append((grid.excel_row(i), ""))
            continue
        group = _t3_group(zone, group)
        label = _t3_label(group, zone[-1])
        if label is None:
            _t3_unplaced(found, grid, i, cols, group, zone[-1], has_values)
            continue
        if label in _T3_UNGROUPED:
            group = None
        if label in found.cells:
            continue
        found.cells[label] = _t3_cells(grid, i, cols)
        if label == T.ROW_CARRIED_OUT:
            break
    return found


# the rows of table 三 outside the result groups: reaching one ends the group above it
_T3_UNGROUPED = (T.ROW_NEW, T.ROW_CARRIED_IN, T.ROW_RESULT_TOTAL, T.ROW_CARRIED_OUT)


def _t3_group(zone: list, group: Optional[str]) -> Optional[str]:
    """The result group a row is under: the last group label in its label zone, else the one above."""
    for z in zone:
        n = norm_title(z)
        if n in _GROUP_NORM:
            group = _GROUP_NORM[n]
    return group


def _t3_label(group: Optional[str], label_text: str) -> Optional[str]:
    """A row's label as printed in table 三: exact, or without its number / brackets (within its group)."""
    n = norm_title(label_text)
    bare = norm_title(_strip_number(label_text))
    return _T3_FULL.get(n) or _T3_ALT.get((group, n)) or _T3_ALT.get((None, bare)) or _T3_ALT.get((group, bare))


def _t3_cells(grid, i: int, cols: dict) -> dict:
    return {c: Cell(raw(grid, i, j), cell_ref(grid, i, j), grid.sheet) for c, j in cols.items()}


def _t3_unplaced(found: Table3Found, grid, i: int, cols: dict, group: Optional[str], label_text: str,
                 has_values: bool):
    """A row that is not one of table 三's: a group's own row (its values kept, see parse_workbook),
    the 三、本年度办理结果 heading, or a row with values that cannot be placed."""
    n = norm_title(label_text)
    if n in _GROUP_NORM and has_values and group not in found.group_rows:
        found.group_rows[group] = _t3_cells(grid, i, cols)
    if n in _GROUP_NORM or n in _RESULTS_HEAD:
        return
    if has_values:
        found.unknown_rows.append((grid.excel_row(i), label_text))


# ---- table 四 ---------------------------------------------------------------------------------

_CASE_TYPE_NORM = {norm_title(n): t for t, names in T.CASE_TYPE_SYNONYMS.items() for n in (t, *names)}
_CASE_COL_NORM = {norm_title(c): c for c in T.CASE_COLUMNS}


@dataclass
class Table4Found:
    sheet: str
    cells: dict = field(default_factory=dict)  # case type → {column: Cell}


def _case_blocks(filled, k) -> dict:
    """{first column: (case type or None, {column name: j})} of the 结果维持…总计 blocks in row k."""
    r = filled[k]
    first = norm_title(T.CASE_COLUMNS[0])
    starts = [j for j, v in enumerate(r) if norm_title(v) == first]
    blocks = {}
    for n, c0 in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(r)
        cols = {}
        for j in range(c0, end):
            name = _CASE_COL_NORM.get(norm_title(r[j]))
            if name and name not in cols:
                cols[name] = j
        case_type = None
        for above in range(k - 1, max(-1, k - 4), -1):
            case_type = _CASE_TYPE_NORM.get(norm_title(filled[above][c0]))
            if case_type:
                break
        blocks[c0] = (case_type, cols)
    return blocks


def parse_table4(grid) -> Optional[Table4Found]:
    """Table 四: blocks of 结果维持…总计 under 行政复议 / 未经复议直接起诉 / 复议后起诉. The official layout
    puts the 行政复议 block one header row higher than the two 行政诉讼 ones (merged down over both rows,
    or not): the blocks are collected over the whole header band, each under the type printed above it."""
    filled = filled_rows(grid)
    band = _t4_header_band(filled)
    if band is None:
        return None
    named = _t4_named_blocks(_t4_band_blocks(filled, band))
    vrow = _t4_value_row(grid, named, band[-1])
    found = Table4Found(grid.sheet)
    for t, cols in named:
        if t is None or t in found.cells:
            continue
        if vrow < len(grid.rows):
            found.cells[t] = {c: Cell(raw(grid, vrow, j), cell_ref(grid, vrow, j), grid.sheet)
                              for c, j in cols.items()}
        else:
            found.cells[t] = {c: Cell("", cell_ref(grid, vrow, j), grid.sheet) for c, j in cols.items()}
    return found


def _t4_header_band(filled) -> Optional[list]:
    """The rows (up to three in a row) that hold 结果维持, from the first one; None when there is none."""
    first = norm_title(T.CASE_COLUMNS[0])
    heads = [i for i, r in enumerate(filled) if any(norm_title(v) == first for v in r)]
    if not heads:
        return None
    band = [heads[0]]
    while band[-1] + 1 in heads and len(band) < 3:
        band.append(band[-1] + 1)
    return band


def _t4_band_blocks(filled, band: list) -> dict:
    """{first column: (case type or None, {column name: j})} over the band; a named block wins over an unnamed one."""
    blocks: dict = {}
    for k in band:
        for c0, (t, cols) in _case_blocks(filled, k).items():
            if c0 not in blocks or (blocks[c0][0] is None and t):
                blocks[c0] = (t, cols)
    return blocks


def _t4_named_blocks(blocks: dict) -> list:
    """[(case type or None, columns)] left to right; unnamed blocks take the printed order."""
    used = {t for t, _c in blocks.values() if t}
    spare = [t for t in T.CASE_TYPES if t not in used]
    named = []
    for c0 in sorted(blocks):
        t, cols = blocks[c0]
        if t is None and spare:
            t = spare.pop(0)
        named.append((t, cols))
    return named


def _t4_value_row(grid, named: list, last: int) -> int:
    """The first of the three rows below the header band with a value in a block column (else the next one)."""
    all_cols = [j for _t, cols in named for j in cols.values()]
    for k in range(last + 1, min(len(grid.rows), last + 4)):
        if any(cell_text(raw(grid, k, j)).strip() for j in all_cols):
            return k
    return last + 1


_COLUMNS_2019 = {norm_title(c) for c in T.TABLE2_COLUMNS_2019}


def _has_2019_columns(grid) -> bool:
    return any(norm_title(cell_text(v)) in _COLUMNS_2019 for r in grid.rows[:200] for v in r)


# ---- a whole workbook ---------------------------------------------------------------------------

@dataclass
class FilledWorkbook:
    file: str
    year: Optional[int] = None
    table2: Optional[Table2Found] = None
    table2_sheet: Optional[str] = None
    table3: Optional[Table3Found] = None
    table4: Optional[Table4Found] = None
    template_2019: bool = False  # the first template (tables.TABLE2_COLUMNS_2019): table 二 is not read


def parse_workbook(grids, file: str) -> FilledWorkbook:
    wb = FilledWorkbook(file)
    for grid in grids:
        if wb.year is None:
            wb.year = _title_year(grid)
        _find_tables(wb, grid)
        wb.template_2019 = wb.template_2019 or _has_2019_columns(grid)
    # a table 二 of the current columns means the current template, whatever else looks old
    wb.template_2019 = wb.template_2019 and wb.table2 is None
    if wb.table2 is None and _single_other_row(wb.table3):
        # the 2019 template's single （六） row: counted as its 3.其他, the other two sub-rows 0
        wb.template_2019 = True
        t3 = wb.table3
        for label, group, _k in T.TABLE3_ROWS:
            if group == T.OTHER_GROUP:
                t3.cells[label] = t3.group_rows[T.OTHER_GROUP] if label == T.OTHER_ROW else \
                    {c: Cell(0, "", t3.sheet) for c in T.TABLE3_COLUMNS}
    if wb.year is None:
        m = _YEAR_TITLE.search(Path(file).name)
        if m:
            wb.year = int(m.group(1))
    return wb


def _title_year(grid) -> Optional[int]:
    """The first year written in a sheet's first four rows (“2024年…”), or None."""
    for r in grid.rows[:4]:
        for v in r:
            m = _YEAR_TITLE.search(cell_text(v))
            if m:
                return int(m.group(1))
    return None


def _find_tables(wb: FilledWorkbook, grid):
    """Each table not found yet, looked for in this sheet."""
    if wb.table2 is None:
        t2 = parse_table2_grid(grid)
        if t2 is not None:
            wb.table2, wb.table2_sheet = t2, grid.sheet
    if wb.table3 is None:
        wb.table3 = parse_table3(grid)
    if wb.table4 is None:
        wb.table4 = parse_table4(grid)


def _single_other_row(t3: Optional[Table3Found]) -> bool:
    """Table 三 has a （六）其他处理 row with values and none of its sub-rows (the 2019 template)."""
    return t3 is not None and T.OTHER_GROUP in t3.group_rows and \
        not any(label in t3.cells for label, group, _k in T.TABLE3_ROWS if group == T.OTHER_GROUP)
