"""The 通报 of `govxl web --notice`: 网站和政务新媒体信息发布情况 as .md and .docx (GB/T 9704 layout).

In: the result of score/web.py. Out: the Markdown text and the two files, laid out by noticedocx (the
score notice's layout: title, headings, body, signature, fixed properties and zip timestamps), written
through notice.write_outputs (safeio). Names the 零发布 units and the 超期未更新 columns and accounts.
Texts from registers (column and account names) are made plain before they enter the Markdown.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

_MARKUP = re.compile(r"[|*#<>\n\r`]")


def _plain(text) -> str:
    """A register's text as it can stand in one Markdown paragraph: no table, bold, heading or tag marks."""
    return _MARKUP.sub(lambda m: {"|": "｜", "*": "＊", "#": "＃", "<": "＜", ">": "＞", "`": "'"}.get(m.group(0), " "),
                       str(text))


def _join(names) -> str:
    return "、".join(_plain(n) for n in names)


def render_web_notice(result: dict) -> str:
    period, t = result["period"], result["totals"]
    office = result.get("office") or ""
    by = result.get("by_platform") or {}
    platform_text = "，".join(f"{p}{n}条" for p, n in by.items() if n) or "各平台均无发布"
    active = sum(1 for u in result["units"] if u["posted"])
    lines = [f"# {_plain(office)}", f"# 关于{period['title']}网站和政务新媒体信息发布情况的通报", "",
             '<p align="left">各乡镇、县直各部门：</p>', "",
             f"根据网站和政务新媒体信息发布“每月一统计、每季一公布、半年一通报、年终一考核”的要求，"
             f"现将{period['title']}各单位网站和政务新媒体信息发布情况通报如下。", "",
             "## 一、基本情况", "",
             f"{period['title']}，纳入统计的{len(result['units'])}个单位中，有{active}个单位发布信息，共发布{t['posted']}条"
             f"（其中原创{t['original']}条）：{platform_text}。当年累计发布{t['ytd_posted']}条。", ""]
    top = sorted((u for u in result["units"] if u["posted"]), key=lambda u: (u["rank"], u["order"]))[:5]
    if top:
        lines += ["发布较多的单位：" + "、".join(f"{_plain(u['unit'])}（{u['posted']}条）" for u in top) + "。", ""]
    unmet = [u for u in result["units"] if u["task_met"] is False and not u["zero"]]
    lines += ["## 二、存在问题", "", "### （一）零发布单位", ""]
    zero = result["zero_units"]
    lines += [f"本期共有{len(zero)}个单位零发布：{_join(zero)}。" if zero else "本期没有零发布单位。", ""]
    lines += ["### （二）未完成发布任务的单位", ""]
    lines += [(f"{len(unmet)}个单位未完成发布任务：" + "、".join(
        f"{_plain(u['unit'])}（任务{u['task']}条，发布{u['posted']}条）" for u in unmet) + "。") if unmet
              else "有发布任务的单位均已完成本期任务。", ""]
    lines += ["### （三）超期未更新的栏目和账号", ""]
    lines += _overdue_lines(result["overdue"])
    lines += ["## 三、下步要求", "",
              "各单位要落实网站和政务新媒体内容保障责任，动态要闻类栏目和政务新媒体账号两周内必须更新，"
              "通知公告、政策文件类栏目六个月内必须更新，规划计划、人事信息类栏目一年内必须更新。"
              "对超期未更新的栏目和账号，请于5个工作日内完成整改；确无内容可发的栏目，应按程序整合或关停。", "",
              f'<p align="right">{_plain(office)}</p>', f'<p align="right">{_sign_date(period)}</p>', ""]
    return "\n".join(lines)


def _overdue_lines(overdue: list) -> list:
    if not overdue:
        return ["本期没有超期未更新的栏目和账号。", ""]
    units = list(dict.fromkeys(o["unit"] for o in overdue))
    out = [f"本期共有{len(units)}个单位的{len(overdue)}个栏目或账号超过规定时限未更新：", ""]
    for unit in units:
        items = []
        for o in (o for o in overdue if o["unit"] == unit):
            since = f"自{o['last_before']}起" if o["last_before"] else "从未发布"
            tail = "至今未更新" if o["first_after"] == "至今未更新" else f"至{o['first_after']}才更新"
            items.append(f"{_plain(o['platform'])}“{_plain(o['column'] or '未填栏目')}”{since}{tail}，"
                         f"间隔{o['days']}天（要求{o['limit']}天内）")
        out += [f"{_plain(unit)}：" + "；".join(items) + "。", ""]
    return out


def _sign_date(period: dict) -> str:
    end = dt.date.fromisoformat(period["end"])
    y, m = (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
    return f"{y}年{m}月　日"


def write_web_notice(result: dict, out_dir: Path) -> list:
    """<机关名称><期间>网站和政务新媒体信息发布情况通报 .md and .docx in out_dir; returns their paths."""
    from .noticedocx import docx_bytes, markdown_to_docx
    from .notice import write_outputs
    from .safeio import name_part

    period = result["period"]
    text = render_web_notice(result)
    end = dt.date.fromisoformat(period["end"])
    doc = markdown_to_docx(text, core={"date": dt.datetime(end.year, end.month, end.day),
                                       "title": f"关于{period['title']}网站和政务新媒体信息发布情况的通报",
                                       "subject": f"{result.get('office') or ''}{period['title']}网站和政务新媒体信息发布情况"})
    base = f"{name_part(result.get('office') or '')}{name_part(period['title'], limit=60)}网站和政务新媒体信息发布情况通报"
    md, docx = Path(out_dir) / f"{base}.md", Path(out_dir) / f"{base}.docx"
    write_outputs({md: text.encode("utf-8"), docx: docx_bytes(doc)})
    return [md, docx]
