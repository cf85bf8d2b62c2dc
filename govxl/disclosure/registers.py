"""Reading the disclosure registers (主动公开 / 依申请公开 / 复议诉讼) into tallies for one year.

Every data row read ends in exactly one bucket: counted, other_year (dated outside the year and not
needed for it), error (with a Problem naming file, sheet, row and column) or skipped (blank,
subtotal or repeated header rows).
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Optional

from ..normalise import dates
from ..errors import ERROR, WARNING, InputUnreadable, Problem, col_letter
from ..normalise.headers import Lookup, find_header, header_signature
from ..read.reader import discover, display_path, read_file
from ..normalise.text import cell_text, norm
from . import tables as T
from .layout import parse_table2_grid

_YEAR_IN_TEXT = re.compile(r"(?<!\d)(20\d\d|19\d\d)\s*年")


def _value_lookup(table: dict) -> dict:
    """{standard: synonyms} → {normalised synonym: standard}."""
    out = {}
    for std, names in table.items():
        for name in (std, *names):
            out.setdefault(norm(name), std)
    return out


CONTENTS = _value_lookup(T.CONTENT_SYNONYMS)
ACTIONS = _value_lookup(T.ACTION_SYNONYMS)
APPLICANTS = _value_lookup(T.APPLICANT_SYNONYMS)
CASE_TYPES = _value_lookup(T.CASE_TYPE_SYNONYMS)
CASE_RESULTS = _value_lookup(T.CASE_RESULT_SYNONYMS)

_RESULT_SEP = re.compile(r"[\s\-—–－_:：/／、,，·.．()（）\[\]【】<>《》“”\"']+")
_LEADING_NUMBER = re.compile(r"^(?:[（(]?[一二三四五六七八九十]+[)）、.．]?|\d+[.．、)）]?)")


def _result_key_text(text: str) -> str:
    """Result text as compared: NFKC, separators and brackets removed."""
    return _RESULT_SEP.sub("", norm(text))


def _build_result_lookup() -> dict:
    """Every accepted way of writing a 办理结果 → result key (see tables.RESULT_GROUPS)."""
    out: dict[str, str] = {}
    ambiguous: set[str] = set()

    def add(text: str, key: str):
        k = _result_key_text(text)
        if not k:
            return
        if k in out and out[k] != key:
            ambiguous.add(k)
        out.setdefault(k, key)

    for group, rows in T.RESULT_GROUPS:
        group_shorts = T.RESULT_GROUP_SHORT.get(group, ())
        group_plain = _LEADING_NUMBER.sub("", group)
        for key, label, shorts in rows:
            plain = _LEADING_NUMBER.sub("", label)
            forms = {label, plain, *shorts}
            for f in list(forms):
                add(f, key)
                for g in (*group_shorts, group, group_plain):
                    if g != label:
                        add(g + "-" + f, key)
    # the exact wording and "<group>-<reason>" always win; a bare short form shared by two rows is refused
    for k in ambiguous:
        out.pop(k, None)
    return out


RESULTS = _build_result_lookup()
# A group named without its reason ("不予公开" alone) is not enough to pick the sub-row.
RESULT_GROUP_ONLY = {_result_key_text(s): g for g, shorts in T.RESULT_GROUP_SHORT.items() for s in shorts}


def map_result(text: str) -> Optional[str]:
    """办理结果 as written → result key, or None."""
    k = _result_key_text(text)
    if not k:
        return None
    hit = RESULTS.get(k)
    if hit is None:
        stripped = _result_key_text(_LEADING_NUMBER.sub("", norm(text)))
        hit = RESULTS.get(stripped)
    return hit


# ---------------------------------------------------------------------------------------------


@dataclass
class Tally:
    year: int
    # table 二: content → {"制发", "废止", "处理决定"} counts; fees in 万元 as Decimal
    issued: dict = field(default_factory=lambda: {c: 0 for c in T.DOCUMENT_CONTENTS})
    repealed: dict = field(default_factory=lambda: {c: 0 for c in T.DOCUMENT_CONTENTS})
    decisions: dict = field(default_factory=lambda: {c: 0 for c in T.DECISION_CONTENTS})
    fees: Decimal = Decimal(0)
    # net 制发 − 废止 of earlier years, per document content, when the registers hold them
    earlier_net: dict = field(default_factory=dict)
    # table 三: row kind → applicant → count
    t3: dict = field(default_factory=dict)
    # table 四: case type → outcome → count
    t4: dict = field(default_factory=lambda: {t: {o: 0 for o in T.CASE_OUTCOMES} for t in T.CASE_TYPES})
    problems: list = field(default_factory=list)
    rows: dict = field(default_factory=lambda: {"read": 0, "counted": 0, "other_year": 0, "error": 0, "skipped": 0})
    registers: list = field(default_factory=list)
    unreadable: list = field(default_factory=list)
    proactive_sources: dict = field(default_factory=dict)  # content → set of "register" / "summary"

    def add3(self, kind: str, applicant: str):
        self.t3.setdefault(kind, {a: 0 for a in T.APPLICANTS})[applicant] += 1


class _Row:
    """One data row being read, with its location for problems."""

    def __init__(self, tally: Tally, grid, i: int, columns: dict):
        self.tally = tally
        self.grid = grid
        self.i = i
        self.columns = columns
        self.values = grid.rows[i]
        self.failed = False
        self.uncached_reported: set = set()

    def get(self, std: str):
        c = self.columns.get(std)
        if c is None:
            return None
        if (self.grid.origin[0] + self.i, self.grid.excel_col(c)) in self.grid.uncached:
            if std not in self.uncached_reported:
                self.uncached_reported.add(std)
                self.error(std, f"“{std}”单元格是没有计算结果的公式，请在 Excel/WPS 中打开并保存后再试")
            return None
        if c >= len(self.values):
            return None
        v = self.values[c]
        return None if v == "" or v is None else v

    def text(self, std: str) -> str:
        return cell_text(self.get(std)).strip()

    def problem(self, severity: str, std: Optional[str], message: str):
        col = self.columns.get(std) if std else None
        self.tally.problems.append(Problem(
            severity, message, self.grid.file, self.grid.sheet, self.grid.excel_row(self.i),
            col_letter(self.grid.excel_col(col)) if col is not None else None))
        if severity == ERROR:
            self.failed = True

    def error(self, std: Optional[str], message: str):
        self.problem(ERROR, std, message)

    def date(self, std: str, label: str, *, required: bool):
        raw = self.get(std)
        if raw is None:
            if required and std not in self.uncached_reported:
                self.error(std, f"{label}为空")
            return None
        parsed = dates.parse_date(raw, default_year=self.tally.year)
        if parsed.error:
            self.error(std, f"{label}：{parsed.error}")
            return None
        if parsed.warning:
            self.problem(WARNING, std, f"{label}：{parsed.warning}")
        return parsed.value


def _is_blank(values) -> bool:
    return all(cell_text(v).strip() == "" for v in values)


def _is_subtotal(values, columns: dict) -> bool:
    firsts = [cell_text(values[c]).strip() for c in sorted(columns.values())[:3] if c < len(values)]
    firsts += [cell_text(v).strip() for v in values[:2]]
    return any(norm(t) in T.SUBTOTAL_WORDS or norm(t).startswith(T.SUBTOTAL_WORDS) and len(norm(t)) <= 4
               for t in firsts if t)


def _whole(value) -> Optional[int]:
    """A cell that must hold a non-negative whole number (a count)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() and value >= 0 else None
    t = norm(cell_text(value)).rstrip("件个项次")
    if t.isdigit():
        return int(t)
    return None


def parse_amount(value, *, yuan: bool = False) -> tuple[Optional[Decimal], Optional[str]]:
    """A fee amount → (万元, error). "3000元" in any column is converted; "1.5万元" too."""
    if isinstance(value, bool):
        return None, f"金额“{value}”不是数字"
    if isinstance(value, (int, float)):
        d = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    else:
        t = norm(cell_text(value)).replace(",", "").replace("，", "")
        if t.endswith("万元"):
            t, yuan = t[:-2], False
        elif t.endswith("元"):
            t, yuan = t[:-1], True
        try:
            d = Decimal(t)
        except InvalidOperation:
            return None, f"金额“{cell_text(value)}”不是数字"
        if not d.is_finite():
            return None, f"金额“{cell_text(value)}”不是数字"
    if d < 0:
        return None, f"金额“{cell_text(value)}”为负数"
    return (d / Decimal(10000) if yuan else d), None


# ---------------------------------------------------------------------------------------------


def _kind_synonyms(required, optional) -> dict:
    return {std: T.HEADER_SYNONYMS[std] for std in (*required, *optional)}


def detect_register(grid):
    """(kind, HeaderMatch, missing required columns) of the first register kind found, or None."""
    for kind, required, optional, minimum in T.REGISTER_KINDS:
        syn = _kind_synonyms(required, optional)
        match = find_header(grid, syn, min_matches=minimum)
        if match is None:
            continue
        found_required = [r for r in required if r in match.columns]
        if len(found_required) < minimum:
            continue
        missing = [r for r in required if r not in match.columns]
        return kind, match, missing, Lookup(syn)
    return None


def _year_hint(grid, upto: int) -> Optional[int]:
    """A year written in a sheet's title rows or its file name (\"2023年…\")."""
    texts = [cell_text(v) for r in grid.rows[:upto] for v in r if isinstance(v, str)]
    texts.append(Path(grid.file).name)
    for t in texts:
        m = _YEAR_IN_TEXT.search(t)
        if m:
            return int(m.group(1))
    return None


def is_own_output(path: Path) -> bool:
    """A workbook govxl disclosure wrote (its properties carry the marker): never read back as a register."""
    if Path(path).suffix.lower() != ".xlsx":
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            core = zf.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False
    return T.OUTPUT_MARKER in core


def read_registers(year: int, paths) -> Tally:
    """Read every register under paths and tally the year's tables."""
    tally = Tally(year)
    refused: list = []
    files = discover(paths, refused=refused)
    for shown, why in refused:
        tally.unreadable.append(shown)
        tally.problems.append(Problem(ERROR, why, shown))
    for path in files:
        if is_own_output(path):
            tally.problems.append(Problem(
                WARNING, "这是 govxl 生成的年度报告表格，不作为登记表统计", display_path(path)))
            continue
        try:
            grids = read_file(path)
        except InputUnreadable as exc:
            tally.unreadable.append(exc.path or str(path))
            tally.problems.append(Problem(ERROR, exc.message, exc.path or str(path)))
            continue
        for grid in grids:
            _read_grid(tally, grid)
    if not tally.registers:
        tally.problems.append(Problem(
            WARNING, "没有找到政府信息公开登记表（主动公开、依申请公开、行政复议/行政诉讼），三张表均按0填写"))
    return tally


def _read_grid(tally: Tally, grid):
    if not grid.rows:
        return
    summary = parse_table2_grid(grid)
    if summary is not None:
        _read_summary(tally, grid, summary)
        return
    found = detect_register(grid)
    if found is None:
        return  # not a disclosure register (the folder also holds other registers)
    kind, match, missing, lookup = found
    columns = dict(match.columns)
    if kind == "主动公开" and "金额（万元）" in columns:
        label = match.labels.get(columns["金额（万元）"], "")
        if "元" in norm(label) and "万" not in norm(label):
            columns["金额（元）"] = columns.pop("金额（万元）")
    if missing:
        names = "、".join(f"“{m}”" for m in missing)
        tally.problems.append(Problem(
            ERROR, f"{T.REGISTER_KIND_NAMES[kind]}缺少{names}列，本工作表未统计", grid.file, grid.sheet,
            grid.excel_row(match.row)))
        return
    reader = {"主动公开": _proactive_row, "依申请公开": _application_row, "复议诉讼": _case_row}[kind]
    before = dict(tally.rows)
    for i in range(match.row + 1, len(grid.rows)):
        values = grid.rows[i]
        tally.rows["read"] += 1
        if _is_blank(values) or _is_subtotal(values, columns) or header_signature(values, match, lookup):
            tally.rows["skipped"] += 1
            continue
        row = _Row(tally, grid, i, columns)
        outcome = reader(row)
        if row.failed:
            tally.rows["error"] += 1
        else:
            tally.rows[outcome] += 1
    tally.registers.append({
        "file": grid.file, "sheet": grid.sheet, "kind": kind,
        "rows": {k: tally.rows[k] - before[k] for k in tally.rows},
    })


def _read_summary(tally: Tally, grid, summary):
    hint = _year_hint(grid, summary.first_row + 1)
    if hint is not None and hint != tally.year:
        tally.problems.append(Problem(
            WARNING, f"这是{hint}年的主动公开汇总表，不是{tally.year}年的，未统计", grid.file, grid.sheet))
        return
    for content, (cols, excel_row) in summary.rows.items():
        bad = False
        for colname, (value, ref) in cols.items():
            if colname == T.COL_IN_FORCE:
                continue
            if value is None:
                continue
            if content == T.FEE_CONTENT:
                amount, err = parse_amount(value)
                if err:
                    tally.problems.append(Problem(ERROR, f"{content}：{err}", grid.file, grid.sheet, excel_row, ref))
                    bad = True
                    continue
                tally.fees += amount
                continue
            n = _whole(value)
            if n is None:
                tally.problems.append(Problem(
                    ERROR, f"{content}“{colname}”应为非负整数，实际为“{cell_text(value)}”", grid.file, grid.sheet,
                    excel_row, ref))
                bad = True
                continue
            if colname == T.COL_ISSUED:
                tally.issued[content] += n
            elif colname == T.COL_REPEALED:
                tally.repealed[content] += n
            elif colname == T.COL_DECISIONS:
                tally.decisions[content] += n
        tally.rows["read"] += 1
        tally.rows["error" if bad else "counted"] += 1
        tally.proactive_sources.setdefault(content, set()).add("summary")
    tally.registers.append({"file": grid.file, "sheet": grid.sheet, "kind": "主动公开汇总表",
                            "rows": {"read": len(summary.rows)}})


# ---- one row of each register kind -------------------------------------------------------------


def _proactive_row(row: _Row) -> str:
    content = _proactive_content(row)
    when = row.date("日期", "日期", required=True)
    qty = _quantity(row)
    if content is None or row.failed:
        return "counted"
    action = amount = None
    if content == T.FEE_CONTENT:
        amount = _fee_amount(row)
        if amount is None:
            return "counted"
    else:
        action = _proactive_action(row, content)
        if action is None:
            return "counted"
    return _count_proactive(row.tally, content, action, amount, qty, when)


def _named(row: _Row, column: str, names: dict, allowed) -> Optional[str]:
    """What the row's column names among `names`, or None (with an error: blank, or not one of allowed)."""
    raw = row.text(column)
    hit = names.get(norm(raw)) if raw else None
    if not raw:
        row.error(column, f"{column}为空")
    elif hit is None:
        row.error(column, f"{column}“{raw}”无法识别，应为：" + "、".join(allowed))
    return hit


def _proactive_content(row: _Row) -> Optional[str]:
    """The row of table 二 that 信息内容 names, or None (with an error)."""
    return _named(row, "信息内容", CONTENTS, T.CONTENT_SYNONYMS)


def _quantity(row: _Row) -> int:
    """数量, 1 when the column is blank or absent (an unusable 数量 is an error and counts 1)."""
    if row.get("数量") is None:
        return 1
    q = _whole(row.get("数量"))
    if q is None:
        row.error("数量", f"数量“{row.text('数量')}”应为非负整数")
        return 1
    return q


def _fee_amount(row: _Row) -> Optional[Decimal]:
    """A 行政事业性收费 row's amount in 万元, or None when it cannot be counted (with an error)."""
    if "金额（万元）" not in row.columns and "金额（元）" not in row.columns:
        row.error("信息内容", "登记表没有“金额（万元）”列，无法统计行政事业性收费")
        return None
    col = "金额（万元）" if row.get("金额（万元）") is not None else "金额（元）"
    raw = row.get(col)
    if raw is None:
        row.error("金额（万元）" if "金额（万元）" in row.columns else "金额（元）", "行政事业性收费的金额为空")
        return None
    amount, err = parse_amount(raw, yuan=(col == "金额（元）"))
    if err:
        row.error(col, err)
        return None
    return amount


def _proactive_action(row: _Row, content: str) -> Optional[str]:
    """What a row of a document or decision content counts as (制发 / 废止 / 处理决定), or None (with an
    error). A blank 动作 of a decision content is a decision."""
    raw_action = row.text("动作")
    if not raw_action:
        if content not in T.DECISION_CONTENTS:
            row.error("动作" if "动作" in row.columns else "信息内容", f"{content}须写明动作：制发或废止")
            return None
        action = T.ACTION_DECISION
    else:
        action = ACTIONS.get(norm(raw_action))
        if action is None:
            row.error("动作", f"动作“{raw_action}”无法识别，应为：制发、废止或处理决定")
            return None
    if content in T.DOCUMENT_CONTENTS and action == T.ACTION_DECISION:
        row.error("动作", f"{content}只统计制发和废止，不统计“{raw_action}”")
        return None
    if content in T.DECISION_CONTENTS and action != T.ACTION_DECISION:
        row.error("动作", f"{content}只统计处理决定，不统计“{raw_action}”")
        return None
    return action


def _count_proactive(tally: Tally, content: str, action: Optional[str], amount: Optional[Decimal], qty: int,
                     when) -> str:
    """Count a readable row: this year's into table 二, an earlier year's document into earlier_net."""
    if when.year != tally.year:
        if when.year < tally.year and content in T.DOCUMENT_CONTENTS:
            sign = 1 if action == T.ACTION_ISSUE else -1
            tally.earlier_net[content] = tally.earlier_net.get(content, 0) + sign * qty
        return "other_year"
    tally.proactive_sources.setdefault(content, set()).add("register")
    if content == T.FEE_CONTENT:
        tally.fees += amount
    elif action == T.ACTION_ISSUE:
        tally.issued[content] += qty
    elif action == T.ACTION_REPEAL:
        tally.repealed[content] += qty
    else:
        tally.decisions[content] += qty
    return "counted"


def _application_row(row: _Row) -> str:
    tally = row.tally
    received = row.date("收到日期", "收到日期", required=True)
    concluded = row.date("办结日期", "办结日期", required=False)
    applicant = _applicant(row)
    raw_result = row.text("办理结果")
    result = map_result(raw_result) if raw_result else None
    if received and concluded and concluded.date() < received.date():
        row.error("办结日期", "办结日期早于收到日期")
    if row.failed:
        return "counted"
    year = tally.year
    if received.year > year or (concluded is not None and concluded.year < year):
        return "other_year"
    done_this_year = concluded is not None and concluded.year == year
    if done_this_year:
        if not _result_known(row, raw_result, result):
            return "counted"
    elif raw_result and concluded is None:
        row.problem(WARNING, "办结日期", "填写了办理结果但办结日期为空，按未办结（结转下年度继续办理）统计")
    tally.add3("new" if received.year == year else "carried_in", applicant)
    tally.add3("result:" + result if done_this_year else "carried_out", applicant)
    return "counted"


def _applicant(row: _Row) -> Optional[str]:
    """The applicant column of table 三 that 申请人类型 names, or None (with an error)."""
    return _named(row, "申请人类型", APPLICANTS, T.APPLICANTS)


def _result_known(row: _Row, raw_result: str, result: Optional[str]) -> bool:
    """An application concluded this year must say its result; False (with an error) when it does not."""
    if not raw_result:
        row.error("办理结果", "已办结但办理结果为空")
        return False
    if result is not None:
        return True
    group = RESULT_GROUP_ONLY.get(_result_key_text(raw_result))
    if group:
        shorts = [s for k, _l, s in dict(T.RESULT_GROUPS)[group]]
        example = T.RESULT_GROUP_SHORT[group][0] + "-" + shorts[0][0]
        row.error("办理结果", f"办理结果“{raw_result}”未写明具体情形，请写明，如“{example}”")
    else:
        row.error("办理结果", f"办理结果“{raw_result}”无法识别，请按年度报告表格的办理结果填写，"
                            "如 予以公开、部分公开、不予公开-国家秘密、无法提供-不掌握")
    return False


def _case_row(row: _Row) -> str:
    tally = row.tally
    raw_type = row.text("类型")
    case_type = CASE_TYPES.get(norm(raw_type)) if raw_type else None
    if not raw_type:
        row.error("类型", "类型为空")
    elif case_type is None:
        if norm(raw_type) in T.CASE_TYPE_AMBIGUOUS:
            row.error("类型", f"类型“{raw_type}”请写明是“直接起诉”还是“复议后起诉”")
        else:
            row.error("类型", f"类型“{raw_type}”无法识别，应为：行政复议、直接起诉、复议后起诉")
    raw_result = row.text("结果")
    outcome = CASE_RESULTS.get(norm(raw_result))
    if outcome is None:
        row.error("结果", f"结果“{raw_result}”无法识别，应为：维持、纠正、其他、尚未审结（空白按尚未审结）")
    filed = None
    if "立案日期" in row.columns:
        filed = row.date("立案日期", "日期", required=False)
    if row.failed:
        return "counted"
    if filed is not None and filed.year != tally.year:
        return "other_year"
    tally.t4[case_type][outcome] += 1
    return "counted"


def problem_sort_key(p: Problem):
    return (p.file or "", p.sheet or "", p.row or 0, p.column or "", p.message)

