"""Rules → lines (spec §5): every point an item earns or loses, one row of a table each.

Each kind of rule is one function over columns: it takes the items (and their adoptions or 批示) and
returns its lines. `make_lines` puts them together for the items submitted within a span of months;
a period's points are then the lines whose `date` falls in it (`view`), so a unit's year is the sum of
its months by construction, and 得分明细 shows each line's rule and note.

lines  unit, seq (the item; NA for a unit's own lines), date (what the line is counted by: the
       submission, or under 归属月份 = 采用日期 the adoption's or 批示's own date), submitted, order (the
       line's place in its item's 计分依据), rule, points, note, part (报送 | 采用 | 批示 | 其他: the
       column of 得分明细 it is summed into), level (of an adoption or 批示), share (1, or a joint item's
       part under 均分)
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from ..defaults import LEVEL_RANK

EPS = 1e-9
SUBMISSION = "报送每篇"
LATE = "迟报"
FALSE = "失实"
COMMISSION_MARK = "约稿按时完成"  # the line an item marked 约稿 earns when there is no 约稿 register
TYPE_MULTIPLIER_PREFIX = "类型倍数"
RULE_COLUMNS = ("seq", "unit", "submitted", "kind", "event_time", "false_report", "commission", "joint")  # what rules read
LINE_COLUMNS = ("unit", "seq", "date", "submitted", "order", "rule", "points", "note", "part", "level", "share")

# a line's place in its item's 计分依据 (adoptions and 批示 add their own place among them)
_ORDER = {SUBMISSION: 0, LATE: 1, FALSE: 2, "采用": 10, "采用倍数": 5000, "类型倍数": 5001, "批示": 6000,
          COMMISSION_MARK: 9000}


def r4(x: float) -> float:
    """Points are sums of decimals such as 0.5: round away float noise before comparing or showing."""
    v = round(x + 0.0, 4)
    return 0.0 if v == 0 else v


def r4_values(values):
    """r4 of every value of a column (each distinct value rounded once, exactly as r4 does)."""
    import numpy as np

    a = np.asarray(values, dtype=float)
    if not len(a):
        return a
    import pandas as pd

    back, distinct = pd.factorize(a, use_na_sentinel=False)
    return np.array([r4(v) for v in distinct.tolist()], dtype=float)[back]


def type_multipliers_of(cfg) -> dict:
    """其他计分 rows "类型倍数：调研" = 2 → adoption points of 调研 items × 2."""
    out = {}
    for key, value in cfg.other.items():
        if key.startswith(TYPE_MULTIPLIER_PREFIX) and value is not None:
            word = key[len(TYPE_MULTIPLIER_PREFIX):].strip("：: ")
            if word:
                out[word] = value
    return out


@dataclass(frozen=True)
class Scheme:
    """The config's rules as scoring reads them."""

    per: float  # 报送每篇
    cap: Optional[float]  # 报送每月上限
    late: float
    false: float
    on_time: float  # 约稿按时完成
    overdue: float  # 约稿逾期未完成
    by_adoption: bool  # 归属月份 = 采用日期
    highest_adoption: bool  # 多次采用计分 = 最高
    highest_instruction: bool  # 批示计分 = 最高
    shared: bool  # 重复信息处理 = 均分: a joint item's points split between its units
    instruction_rules: dict  # level → (首次, 再次)
    type_multipliers: dict  # word of 信息类型 → ×
    limits: tuple  # 紧急 minutes, 重要 hours, 一般 hours (迟报)
    commission_marks: bool  # no 约稿 register: an item marked 约稿 earns 约稿按时完成
    adoption_types: tuple = ()  # 采用计分 rows by 信息类型 (RuleBook.typed_rows)
    instruction_publications: tuple = ()  # 批示计分 rows by 刊物: (level, publication key, 首次, 再次, row, 刊物)

    @classmethod
    def of(cls, cfg, commission_marks: bool) -> "Scheme":
        from ..normalise.rules import RuleBook
        from ..normalise.text import norm_title

        pts = cfg.other_points
        by_publication = tuple((p.level, norm_title(p.publication), p.first, p.again, p.row, p.publication)
                               for p in getattr(cfg, "instruction_publication_rules", ()))
        return cls(
            per=pts("报送每篇", 0.0) or 0.0, cap=pts("报送每月上限", None), late=pts("迟报", 0.0) or 0.0,
            false=pts("失实", 0.0) or 0.0, on_time=pts("约稿按时完成", 0.0) or 0.0,
            overdue=pts("约稿逾期未完成", 0.0) or 0.0,
            by_adoption=(cfg.setting("归属月份") or "报送日期") == "采用日期",
            highest_adoption=(cfg.setting("多次采用计分") or "最高") == "最高",
            highest_instruction=(cfg.setting("批示计分") or "累计") == "最高",
            shared=(cfg.setting("重复信息处理") or "首报") == "均分",
            instruction_rules=dict(cfg.instruction_rules), type_multipliers=type_multipliers_of(cfg),
            limits=(cfg.num("紧急时限（分钟）", 30), cfg.num("重要时限（小时）", 24), cfg.num("一般时限（小时）", 48)),
            commission_marks=commission_marks, adoption_types=RuleBook(cfg.adoption_rules).typed_rows(),
            instruction_publications=by_publication)


def bounds(period) -> tuple:
    """[lo, hi) of a period as datetimes: its first moment and the first moment after it."""
    import pandas as pd

    return pd.Timestamp(period.start), pd.Timestamp(period.end + dt.timedelta(days=1))


def between(dates, lo, hi):
    """Per date of a column: lo <= date < hi (numpy bools; NaT is never between)."""
    return ((dates >= lo) & (dates < hi)).to_numpy()


def _lines(frame, rule, points, note="", *, order=None, date=None, level=None):
    """Lines of one rule for the rows of frame (which has unit, seq, submitted)."""
    import numpy as np
    import pandas as pd

    n = len(frame)
    rules = _text(rule, n)
    return pd.DataFrame({
        "unit": _text(frame["unit"], n), "seq": frame["seq"].to_numpy(),
        "date": (frame["submitted"] if date is None else date).to_numpy(), "submitted": frame["submitted"].to_numpy(),
        "order": np.full(n, _ORDER.get(rule, 0)) if order is None else np.asarray(order),
        "rule": rules, "points": points.to_numpy() if hasattr(points, "to_numpy") else np.full(n, float(points)),
        "note": _text(note, n), "part": per_distinct(rules, _part, "str"),
        "level": np.full(n, None, dtype=object) if level is None else level.to_numpy(), "share": np.ones(n)})


def _text(value, n: int):
    """A text column of n rows in pandas' str dtype: a str repeated, or the values of a Series or array
    (converted only if they are not str already)."""
    import numpy as np
    import pandas as pd

    if isinstance(value, str):
        return pd.array([value], dtype="str").take(np.zeros(n, dtype=np.intp))
    column = value if isinstance(value, pd.Series) else pd.Series(value)
    return column.array if column.dtype == "str" else column.astype("str").array


def per_distinct(values, f, dtype):
    """f of each distinct value of a column (few of them: rules, levels), mapped back; f(None) for NA."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(np.asarray(values, dtype=object) if not hasattr(values, "dtype") else values)
    return pd.array([f(u) for u in uniques] + [f(None)], dtype=dtype).take(codes)


def _part(rule) -> str:
    """The column of 得分明细 a rule's points are summed into."""
    return next((p for p in ("报送", "采用", "批示") if rule and rule.startswith(p)), "其他")


def level_rank(levels):
    """Per level of a column, its LEVEL_RANK (-1 for none or an unknown one)."""
    return per_distinct(levels, lambda lv: LEVEL_RANK.get(lv, -1), "int64").to_numpy()


def _shares(items, scheme: Scheme):
    """(how many units a joint item goes to, each one's share) per row of items (which has joint): 1/n
    under 均分, else 1."""
    import numpy as np

    n = np.fromiter(map(len, items["joint"].to_numpy()), dtype=np.int64, count=len(items)) + 1
    return n, (1.0 / n if scheme.shared else np.ones(len(n)))


def _split_noted(notes, n, split):
    """notes (text) with "联合报送，n家均分" added where split (a joint item's points shared out)."""
    import numpy as np
    import pandas as pd

    if not split.any():
        return notes
    out = pd.Series(notes, dtype="str")
    at = np.flatnonzero(split)
    out.iloc[at] = ["；".join(x for x in (t, f"联合报送，{k}家均分") if x) for t, k in zip(out.iloc[at], n[at])]
    return out.array


# ---- one function a rule kind ----------------------------------------------------------------------

def submission_lines(base, scheme: Scheme):
    """报送每篇 for each unit an item goes to (a joint item's other units too), within the monthly cap: a
    unit's items of a calendar month take the cap in submission order (its cumulative points clipped)."""
    import numpy as np
    import pandas as pd

    order = base.sort_values(["submitted", "seq"], kind="stable")
    n, share = _shares(order, scheme)
    lead = pd.DataFrame({"unit": _text(order["unit"], len(order)), "seq": order["seq"].to_numpy(),
                         "submitted": order["submitted"].to_numpy(), "n": n, "share": share,
                         "at": np.arange(len(order)), "c": 0})
    with_joint = lead[n > 1].assign(unit=order["joint"].to_numpy()[n > 1]).explode("unit")
    with_joint = with_joint.assign(unit=_text(with_joint["unit"], len(with_joint)),
                                   c=with_joint.groupby("at").cumcount().to_numpy() + 1)
    claims = pd.concat([lead, with_joint], ignore_index=True).sort_values(["at", "c"], kind="stable")
    amount = (scheme.per * claims["share"]).to_numpy(dtype=float)
    got = amount
    capped = np.zeros(len(claims), dtype=bool)
    if scheme.cap is not None and len(claims):
        amount = np.maximum(amount, 0.0)
        month = claims["submitted"].dt.year * 100 + claims["submitted"].dt.month
        keys = [claims["unit"], month]
        total = pd.Series(amount, index=claims.index).groupby(keys).cumsum()
        before = total.groupby(keys).shift(fill_value=0.0)
        room = max(scheme.cap, 0.0)
        got = (total.clip(0, room) - before.clip(0, room)).to_numpy()
        capped = r4_values(got) != r4_values(amount)
    cap_note = "" if scheme.cap is None else f"本月报送分已达上限 {scheme.cap:g} 分"
    note = pd.array(["", cap_note], dtype="str").take(capped.astype(np.intp))
    note = _split_noted(note, claims["n"].to_numpy(), claims["share"].to_numpy() != 1.0)
    out = _lines(claims, SUBMISSION, pd.Series(r4_values(got)), note)
    out["share"] = claims["share"].to_numpy()
    return out


def late_lines(base, scheme: Scheme):
    """迟报: submitted later after the event than its kind allows (紧急, 重要, 一般)."""
    import numpy as np
    import pandas as pd

    urgent, important, normal = scheme.limits
    kind = base["kind"].fillna("").astype(str)
    limit = np.where(kind.str.contains("紧急", regex=False), urgent * 60,
                     np.where(kind.str.contains("重要", regex=False), important * 3600, normal * 3600))
    delay = (base["submitted"] - base["event_time"]).dt.total_seconds()
    late = base[(delay > limit).to_numpy() & base["event_time"].notna().to_numpy()]
    note = pd.Series(["事件时间 " + t + "，超过时限" for t in late["event_time"].dt.strftime("%Y-%m-%d %H:%M")],
                     dtype=object)
    return _lines(late, LATE, scheme.late, note)


def false_lines(base, scheme: Scheme):
    """失实: the item was found untrue."""
    return _lines(base[base["false_report"].astype(bool)], FALSE, scheme.false)


def _attributed(frame, scheme: Scheme):
    """The date a line of an adoption or 批示 counts by: its own under 采用日期 (the submission if it has
    none), else the submission."""
    if scheme.by_adoption:
        return frame["date"].where(frame["date"].notna(), frame["submitted"])
    return frame["submitted"]


def _first_best(frame, points):
    """True for each item's best row: the most points, then the highest level, then the first."""
    import numpy as np

    rank = level_rank(frame["level"])
    ranked = frame.assign(_p=points, _r=rank, _i=np.arange(len(frame)))
    ranked = ranked.sort_values(["seq", "_p", "_r", "_i"], ascending=[True, False, False, True], kind="stable")
    best = np.zeros(len(frame), dtype=bool)
    best[ranked.drop_duplicates("seq")["_i"].to_numpy()] = True
    return best


def adoption_lines(pool, adoptions, scheme: Scheme, lo, hi):
    """采用: each adoption its publication's points — or, when the publication has a row for the item's
    信息类型, that row's 分值 and 倍数 (`specific.typed_adoptions`) — (多次采用 = 最高: only the best of an
    item's counts, the rest are listed at 0); then 采用倍数 (the highest of them) and 类型倍数 over an item's
    adoption points of each month within [lo, hi) — under 报送日期 all of an item's adoptions count in its
    own month. 类型倍数 leaves out the points of a row by 信息类型: they are already that type's."""
    import numpy as np
    import pandas as pd

    ad = adoptions.merge(pool[["seq", "unit", "submitted", "kind"]], on="seq", how="inner")
    ad = ad.sort_values(["seq", "k"], kind="stable").reset_index(drop=True)
    points, note = ad["points"].astype(float), ad["text"].astype(object)
    by_type = pd.Series(np.zeros(len(ad), dtype=bool))
    if scheme.adoption_types and len(ad):
        from .specific import typed_adoptions

        points, multiplier, added, typed_rows = typed_adoptions(ad, points, scheme)
        ad = ad.assign(multiplier=multiplier.to_numpy())
        note = pd.Series([f"{t}；{a}" if a else t for t, a in zip(note, added)], dtype=object)
        by_type = pd.Series(typed_rows)
    if scheme.highest_adoption and len(ad):
        best = _first_best(ad, points.to_numpy())
        points = points.where(best, 0.0)
        note = note.where(best, note + "（多次采用只计最高一次）")
    date = _attributed(ad, scheme)
    # the multipliers apply to the adoptions counted in the span, a month at a time
    inside = between(date, lo, hi)
    ad, points, note, date, by_type = (x[inside].reset_index(drop=True) for x in (ad, points, note, date, by_type))
    lines = _lines(ad, "采用：" + ad["rule"].astype(str), points, note, order=_ORDER["采用"] + ad["k"], date=date,
                   level=ad["level"])
    month = date.dt.year * 100 + date.dt.month
    g = ad.assign(got=points, plain=points.where(~by_type, 0.0), _month=month, date=date, by_type=by_type).groupby(
        ["seq", "_month"], sort=False)
    per_month = pd.concat([g[["unit", "submitted", "kind"]].first(), g["date"].min(), g[["got", "plain"]].sum(),
                           g["multiplier"].max().rename("mult"), g["by_type"].any().rename("any_typed")],
                          axis=1).reset_index()
    extra = []
    mult = per_month[per_month["mult"] != 1.0]
    if len(mult):
        extra.append(_lines(mult, "采用倍数×" + mult["mult"].map("{:g}".format),
                            pd.Series(r4_values(mult["got"] * (mult["mult"] - 1))), "按采用计分“倍数”列（如转报上级）",
                            order=_ORDER["采用倍数"], date=mult["date"]))
    if scheme.type_multipliers and len(per_month):
        kinds = per_month["kind"].fillna("").astype(str)
        word = pd.Series([next((w for w in scheme.type_multipliers if w in k), None) for k in kinds])
        # points of a row by 信息类型 are already that type's: no line when none others are left
        word = word.where(~(per_month["any_typed"] & (per_month["plain"] == 0)).to_numpy(), None)
        typed = per_month[word.notna().to_numpy()]
        w = word[word.notna()].to_numpy()
        tm = np.array([scheme.type_multipliers[x] for x in w], dtype=float)
        if len(typed):
            extra.append(_lines(typed, pd.Series([f"类型倍数×{x:g}" for x in tm]),
                                pd.Series(r4_values(typed["plain"].to_numpy() * typed["mult"].to_numpy() * (tm - 1))),
                                pd.Series([f"{x}类信息" for x in w]), order=_ORDER["类型倍数"], date=typed["date"]))
    return [lines, *extra]


def instruction_lines(pool, instructions, scheme: Scheme, adoptions=None):
    """批示: the first of each leader level earns its 首次 points, further ones 再次 (in date order) — of the
    批示计分 row for a publication that adopted the item if there is one (`specific.publication_instructions`),
    else of the level's row; 批示计分 = 最高: only an item's best 批示 counts, the rest are listed at 0."""
    import numpy as np
    import pandas as pd

    ins = instructions.merge(pool[["seq", "unit", "submitted"]], on="seq", how="inner")
    ins = ins.assign(_undated=ins["date"].isna()).sort_values(["seq", "_undated", "date", "k"], kind="stable")
    ins = ins.reset_index(drop=True)
    nth = ins.groupby(["seq", "level"]).cumcount().to_numpy()
    rules = scheme.instruction_rules
    first = ins["level"].map(lambda lv: rules.get(lv, (0.0, 0.0))[0]).astype(float).to_numpy()
    again = ins["level"].map(lambda lv: rules.get(lv, (0.0, 0.0))[1]).astype(float).to_numpy()
    points = np.where(nth == 0, first, again)
    word = np.where(nth == 0, "首次", "再次").astype(object)
    note = ins["text"].astype(object).to_numpy()
    if scheme.instruction_publications and adoptions is not None and len(ins):
        from .specific import publication_instructions

        points, added = publication_instructions(ins, adoptions, scheme, nth, first, again)
        note = np.array([f"{t}；{a}" if a else t for t, a in zip(note, added)], dtype=object)
    if scheme.highest_instruction and len(ins):
        best = _first_best(ins, points)
        points = np.where(best, points, 0.0)
        note = np.where(best, note, [f"{t}（不计（只计最高一条））" for t in note])
        word = np.where(best, word, "")
    order = _ORDER["批示"] + ins.groupby("seq").cumcount()
    return _lines(ins, "批示：" + ins["level"].astype(str) + word, pd.Series(points), pd.Series(note),
                  order=order, date=_attributed(ins, scheme), level=ins["level"])


def commission_marks(base, scheme: Scheme):
    """约稿按时完成 for an item marked 约稿, when no 约稿 register was given (each unit it goes to)."""
    marked = base[base["commission"].astype(bool)]
    copies = marked.assign(unit=[(u, *j) for u, j in zip(marked["unit"], marked["joint"])]).explode("unit")
    return _lines(copies, COMMISSION_MARK, scheme.on_time, "台账标注为约稿")


def _shared_out(lines, items, scheme: Scheme):
    """A joint item's lines (but 报送每篇, made per unit) for its lead and each of its other units: under
    均分 each unit's share of the points, noted."""
    import pandas as pd

    joint = items.loc[_shares(items, scheme)[0] > 1, ["seq", "joint"]]
    if not len(joint) or not len(lines):
        return lines
    mine = lines["seq"].isin(joint["seq"]).to_numpy()
    if not mine.any():
        return lines
    shared = lines[mine].merge(joint, on="seq", how="left")
    n, share = _shares(shared, scheme)
    if scheme.shared:
        shared["points"] = r4_values(shared["points"].to_numpy() * share)
        shared["share"] = share
        shared["note"] = _split_noted(shared["note"], n, n > 1)
    copies = shared.assign(unit=shared["joint"]).explode("unit")
    copies["unit"] = _text(copies["unit"], len(copies))
    return pd.concat([lines[~mine], shared, copies], ignore_index=True)[list(LINE_COLUMNS)]


def make_lines(tables, scheme: Scheme, within):
    """Every line of the counted items for the period `within` (its months: a month cut short holds what
    was submitted by its end). Items submitted in it earn their submission's lines; adoptions and 批示
    count by their own dates under 采用日期, so there every item is looked at."""
    import pandas as pd

    items = tables.items
    counted = items.loc[(items["status"] == "counted").to_numpy(), list(RULE_COLUMNS)]
    lo, hi = bounds(within)
    base = counted[between(counted["submitted"], lo, hi)]
    pool = counted if scheme.by_adoption else base
    others = [late_lines(base, scheme), false_lines(base, scheme), *adoption_lines(pool, tables.adoptions, scheme, lo, hi),
              instruction_lines(pool, tables.instructions, scheme, tables.adoptions)]
    others = _shared_out(pd.concat([x for x in others if len(x)] or [others[0]], ignore_index=True), pool, scheme)
    parts = [submission_lines(base, scheme), others]
    if scheme.commission_marks:
        parts.append(commission_marks(base, scheme))
    lines = pd.concat([p for p in parts if len(p)] or [parts[0]], ignore_index=True)
    lines = lines[between(lines["date"], lo, hi)]
    lines["seq"] = lines["seq"].astype("Int64")
    return lines.sort_values(["seq", "unit", "order"], kind="stable").reset_index(drop=True)


def view(lines, period, known_by=None):
    """The lines a period counts: those dated within it (known_by: and of items submitted by then)."""
    mask = between(lines["date"], *bounds(period))
    if known_by is not None:
        mask = mask & (lines["submitted"] < bounds(known_by)[1]).to_numpy()
    return lines[mask]
