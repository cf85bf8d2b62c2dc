"""`govxl remind`: on a day of a month, a reminder to each unit below its 月任务数 so far, with its own figures.

"So far" (the rule a reminder is sent by): a unit's items that count — counted, not 重复, not error rows;
a joint item for each of its units, as 报送篇数 counts them — submitted from the 1st of the month of `on`
up to and including `on`, against the month's whole task (名册 月任务数, or 设置 默认月任务). A unit with
fewer is reminded (one that has sent nothing always is, unless its task is 0); one that has reached its
task is skipped, and so is one with no 邮箱 (named in the result, never a crash). Days left are the days
of the month after `on` (20 October: 11).

Each reminder goes to each of the unit's addresses, subject and body from remind_subject.txt.j2 /
remind.txt.j2 (the workspace's templates/ first). `out_dir/remind/sent.json` (the sent record of
`mail`, see mailparts) holds each (address, unit, day) sent: a re-run the same day sends only what was
not sent; a later day is a new reminder. A dry run writes the .eml files into `out_dir/remind/` instead.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

SUBJECT_TEMPLATE = "remind_subject.txt.j2"
BODY_TEMPLATE = "remind.txt.j2"
REMIND_DIR = "remind"

# why a roster unit is not reminded: code → message (with its figures)
MET, NO_TASK, NO_EMAIL = "met_task", "no_task", "no_email"


def so_far(on: dt.date):
    """(the month of `on`, the part of it up to and including `on`) as Periods."""
    from ..score.periods import Period, month

    whole = month(on.year, on.month)
    part = Period(f"{whole.label}-01_{on.isoformat()}", whole.start, on, "range",
                  f"{on.year}年{on.month}月1日至{on.month}月{on.day}日")
    return whole, part


def standings(read, cfg, on: dt.date) -> list:
    """Each roster unit (display order) with its month so far: unit, group, contact, email, sent, task,
    shortfall, items ([{title, submitted, file, sheet, row}], by submission), due (to be reminded), code and
    reason (why it is or is not)."""
    from ..score.scoring import as_tables, as_written, shortfall
    from ..score.totals import Book

    _whole, part = so_far(on)
    tables = as_tables(read)
    scores = Book(tables, read.commissions, cfg, part).totals(part).scores
    counted = scores[scores["in_period"].to_numpy()]
    items = tables.items.set_index("seq")[["title", "submitted", "file", "sheet", "row"]]
    listed = counted[["unit", "seq"]].join(items, on="seq").sort_values(["unit", "submitted", "seq"], kind="stable")
    by_unit: dict = {}
    for unit, title, sub, file, sheet, row in listed[["unit", "title", "submitted", "file", "sheet", "row"]].itertuples(
            index=False):
        by_unit.setdefault(unit, []).append({"title": title, "submitted": f"{sub:%Y-%m-%d}", "file": file,
                                             "sheet": sheet, "row": int(row)})
    out = []
    for u in sorted(cfg.units, key=lambda u: (u.order, u.index)):
        its = by_unit.get(u.name, [])
        task = cfg.quota_of(u)
        n = len(its)
        entry = {"unit": u.name, "group": u.group, "contact": u.contact, "email": u.email, "sent": n,
                 "task": as_written(task), "shortfall": shortfall(task, n), "items": its}
        entry.update(_verdict(entry, on))
        out.append(entry)
    return out


def _verdict(e: dict, on: dt.date) -> dict:
    """due, code and reason of a unit's standing."""
    from .mailer import split_addresses

    when = f"截至{on.month}月{on.day}日本月报送{e['sent']}篇，任务{e['task']}篇"
    if not e["task"] and e["sent"]:
        return {"due": False, "code": NO_TASK, "reason": f"本月任务为 0 篇（{when}），不提醒"}
    if e["task"] and not e["shortfall"]:
        return {"due": False, "code": MET, "reason": f"已完成本月任务（{when}）"}
    # below the task so far, or nothing sent at all (a unit without a task is reminded of 零报送 too)
    why = (f"{when}，差{e['shortfall']}篇" if e["shortfall"] else when) + ("（本月尚未报送）" if not e["sent"] else "")
    if not split_addresses(e["email"]):
        return {"due": False, "code": NO_EMAIL, "reason": f"名册中没有填写邮箱，未提醒（{why}）"}
    return {"due": True, "code": "under_task", "reason": why}


def _context(office: str, entry: dict, address: str, on: dt.date) -> dict:
    from .noticedata import cn_date

    whole, part = so_far(on)
    return {"office": office, "unit": entry, "address": address, "on": on.isoformat(), "on_text": cn_date(on),
            "month": whole.to_dict(), "so_far": part.to_dict(), "days_left": (whole.end - on).days,
            "month_end_text": cn_date(whole.end)}


def _message(office: str, entry: dict, address: str, on: dt.date, cfg: dict, template_dir) -> bytes:
    from .mailparts import compose, message_bytes, one_line
    from .notice import render_template

    ctx = _context(office, entry, address, on)
    subject = one_line(render_template(SUBJECT_TEMPLATE, ctx, template_dir))
    body = render_template(BODY_TEMPLATE, ctx, template_dir).strip() + "\n"
    token = hashlib.sha256(f"remind|{on.isoformat()}|{entry['unit']}|{address.lower()}".encode()).hexdigest()
    return message_bytes(compose(cfg["sender"], office, entry["unit"], address, subject, body, [], token))


def send_reminders(entries: list, settings: dict, *, on: dt.date, office: str, out_dir: Path, dry_run: bool = False,
                   template_dir: Path | None = None, password: str | None = None) -> dict:
    """Remind the due entries (standings()) at each address; returns the mail report of `mail` (sent,
    failed, skipped_already_sent, eml, sent_record) and, per due unit, each address's status in
    entry["addresses"]: sent / already_sent / eml / failed."""
    from .mailer import ADDRESS_RE, DRY_RUN_SENDER, send_all, smtp_config, split_addresses
    from .mailparts import SENT_RECORD, already_sent, load_sent, write_eml

    folder = Path(out_dir) / REMIND_DIR
    record_path = folder / SENT_RECORD
    record = load_sent(record_path)
    report = {"sent": [], "failed": [], "skipped_already_sent": [], "eml": [], "sent_record": str(record_path)}
    todo = []  # (recipient, entry)
    for e in entries:
        if not e["due"]:
            continue
        e["addresses"] = []
        for a in split_addresses(e["email"]):
            status = {"address": a, "status": "todo"}
            e["addresses"].append(status)
            if not ADDRESS_RE.match(a):
                status["status"] = "failed"
                report["failed"].append({"address": a, "reason": f"单位名册中“{e['unit']}”的邮箱“{a}”格式不正确，未发送"})
            elif already_sent(record, a, {"on": on.isoformat(), "units": [e["unit"]]}):
                status["status"] = "already_sent"
                report["skipped_already_sent"].append(a)
            else:
                todo.append(({"address": a, "units": [e]}, e))
    # the settings are needed (and checked) only when there is something to send; every message is built
    # first: a template error stops the run before anything is sent
    cfg = smtp_config(settings, dry_run=dry_run, password=password) if todo else {}
    messages = [(r, _message(office, e, r["address"], on, cfg, template_dir), {"on": on.isoformat()}) for r, e in todo]
    done: set = set()
    if dry_run:
        write_eml(folder, ((r, data) for r, data, _ in messages), report)
        if cfg.get("sender") == DRY_RUN_SENDER:
            report["notes"] = [f"设置表中“发件人”为空：演练生成的邮件发件人写作 {DRY_RUN_SENDER}，正式发送前请填写"]
    elif messages:
        record.setdefault("month", f"{on:%Y-%m}")
        done = send_all(messages, cfg, password, report, record, record_path)
    _statuses(todo, done, dry_run)
    return report


def _statuses(todo: list, done: set, dry_run: bool):
    """Each address tried: eml (a dry run), sent (its message's place is in done), or failed."""
    for i, (r, e) in enumerate(todo):
        for s in e["addresses"]:
            if s["address"] == r["address"] and s["status"] == "todo":
                s["status"] = "eml" if dry_run else "sent" if i in done else "failed"
                break


def remind_result(read, cfg, on: dt.date, *, out: Path, dry_run: bool = False, wait: float = 60.0,
                  template_dir: Path | None = None, password: str | None = None) -> dict:
    """The whole of `govxl remind` after the read: who is due, the reminders sent (or written as .eml) into
    out/<YYYY-MM>/remind/ while holding the out folder's lock (two clerks reminding at once cannot both
    send), and the result (without problems and exit code, which api.remind adds)."""
    from .safeio import out_lock

    whole, part = so_far(on)
    entries = standings(read, cfg, on)
    alerts = []
    if not len(read.items):
        # no register read at all: every unit would be reminded of nothing it did wrong
        alerts.append("没有读到任何报送记录：请确认登记表已放入 workbooks 文件夹；本次未发送提醒")
    report = {"sent": [], "failed": [], "skipped_already_sent": [], "eml": [], "withheld": list(alerts)}
    if not alerts or dry_run:
        with out_lock(Path(out), wait):
            report = send_reminders(entries, cfg.settings, on=on, office=cfg.office, out_dir=Path(out) / whole.label,
                                    dry_run=dry_run, template_dir=template_dir, password=password)
    keep = ("unit", "group", "sent", "task", "shortfall", "items", "reason")
    return {
        "on": on.isoformat(), "month": whole.to_dict(), "so_far": part.to_dict(), "days_left": (whole.end - on).days,
        "reminded": [{**{k: e[k] for k in keep}, "addresses": e.get("addresses", [])} for e in entries if e["due"]],
        "skipped": [{**{k: e[k] for k in keep if k != "items"}, "code": e["code"]} for e in entries if not e["due"]],
        "mail": report, "rows": read.rows_dict(), "alerts": alerts,
    }
