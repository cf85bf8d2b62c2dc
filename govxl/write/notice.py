"""The notice (通报): a Jinja2 template rendered to Markdown, then laid out as a Word document.

Flow: ``notice_context(result)`` (noticedata) turns the score result dict into template variables
(every number in the text comes from the result); the template ``notice.md.j2`` (workspace
``templates/`` first, package default otherwise) renders Markdown in the dialect of noticemd;
``markdown_to_docx`` (noticedocx) lays the same Markdown out per GB/T 9704-2012. This module renders
templates (the mail's too) and writes the notice's two files.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from ..errors import ConfigError
from .noticedata import (cn_join, fmt_int, fmt_percent, fmt_score, levels_text, md_cell, notice_context, parse_date,
                         period_title)
from .noticedocx import docx_bytes, markdown_to_docx
from .noticemd import parse_markdown, plain_text

PACKAGE_TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
NOTICE_TEMPLATE = "notice.md.j2"
# the filters every notice template (Markdown, mail, Word) may use
NOTICE_FILTERS = dict(score=fmt_score, percent=fmt_percent, num=fmt_int, cell=md_cell, cnjoin=cn_join, levels=levels_text)


def template_env(template_dir: Path | None = None):
    """Jinja2 environment: the workspace's templates/ first, then the package defaults."""
    import jinja2

    search = []
    if template_dir is not None and Path(template_dir).is_dir():
        search.append(str(template_dir))
    search.append(str(PACKAGE_TEMPLATE_DIR))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search, encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(NOTICE_FILTERS)
    return env


def render_template(name: str, context: dict, template_dir: Path | None = None) -> str:
    """Render one template; a broken template is a config error (exit 2) naming file and line."""
    import jinja2

    env = template_env(template_dir)
    try:
        template = env.get_template(name)
        return template.render(**context)
    except jinja2.TemplateSyntaxError as e:
        where = e.filename or name
        raise ConfigError(f"模板 {where} 第{e.lineno}行有语法错误：{e.message}", path=where) from None
    except jinja2.UndefinedError as e:
        raise ConfigError(f"模板 {name} 使用了不存在的变量：{e.message}。请对照默认模板修改。", path=name) from None
    except jinja2.TemplateNotFound:
        raise ConfigError(f"找不到模板 {name}（templates/ 目录和程序自带模板中都没有）。", path=name) from None
    except (TypeError, ValueError, ArithmeticError) as e:
        raise ConfigError(f"模板 {name} 计算出错：{e}", path=name) from None


# ---------------------------------------------------------------- writing files


def notice_basename(result: dict) -> str:
    """The ranking workbook's name without its extension: one name for a period's outputs."""
    from .safeio import output_stem

    return output_stem(result.get("office") or "", period_title(result.get("period") or {}))


def write_outputs(files: dict[Path, bytes]):
    """Write several files, each to a temp file moved into place (govxl.write.safeio). A target open in
    Word/WPS is tried first, so the OutputLocked it raises (exit 3) comes before any other file
    of the set is replaced."""
    from .safeio import atomic_write, is_open_elsewhere

    for path, data in sorted(files.items(), key=lambda kv: not is_open_elsewhere(kv[0])):
        atomic_write(path, lambda tmp, data=data: Path(tmp).write_bytes(data))


def render_notice(result: dict, *, template_dir: Path | None = None, sign_date: _dt.date | None = None) -> str:
    """The notice as Markdown text. An alert (a period without data) is always said at its top, also
    under a clerk's own template written before templates had `alerts`."""
    context = notice_context(result, sign_date=sign_date)
    text = render_template(NOTICE_TEMPLATE, context, template_dir)
    unsaid = [a for a in context["alerts"] if a not in text]
    if unsaid:
        lines = text.split("\n")
        at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
        while at < len(lines) and lines[at].startswith("# "):
            at += 1  # after the title lines
        lines[at:at] = ["", *(f"【注意：{a}】\n" for a in unsaid)]
        text = "\n".join(lines)
    return text


def write_notice(
    result: dict,
    out_dir: Path,
    *,
    template_dir: Path | None = None,
    sign_date: _dt.date | None = None,
    doc_fields: dict | None = None,
) -> list[Path]:
    """Write ``<机关名称><period label>政务信息报送情况通报.md`` and ``.docx`` into out_dir.

    ``template_dir`` is the workspace's templates/ folder: its notice.md.j2 is used when present,
    else the package default. When it holds notice.docx, that Word template (noticetpl) makes the
    .docx, with the 版头 fields ``doc_fields`` (doc_code, signer); the .md still comes from notice.md.j2. ``sign_date`` sets 成文日期 (default: the month after the period,
    day left blank for the clerk). Returns [md path, docx path]. Raises ConfigError (exit 2) for
    a broken template, OutputLocked (exit 3) when an output is open in Word/WPS.
    """
    out_dir = Path(out_dir)
    md_text = render_notice(result, template_dir=template_dir, sign_date=sign_date)
    ctx_period = result.get("period") or {}
    end = parse_date(ctx_period.get("end"))
    blocks = parse_markdown(md_text)
    first_title = []
    for b in blocks:
        if b["kind"] == "title":
            first_title.append(b["text"])
        elif first_title:
            break
    title = "".join(first_title)
    core = {
        "date": _dt.datetime(end.year, end.month, end.day) if end else None,
        "title": plain_text(title),
        "subject": f"{result.get('office') or ''}{period_title(ctx_period)}政务信息报送情况",
    }
    from .noticetpl import docx_context, docx_template, render_docx_template

    word_template = docx_template(template_dir)
    if word_template is not None:
        context = docx_context(result, sign_date=sign_date, fields=doc_fields)
        docx_data = render_docx_template(word_template, context, core=core)
    else:
        docx_data = docx_bytes(markdown_to_docx(md_text, core=core))
    base = notice_basename(result)
    md_path = out_dir / f"{base}.md"
    docx_path = out_dir / f"{base}.docx"
    write_outputs({md_path: md_text.encode("utf-8"), docx_path: docx_data})
    return [md_path, docx_path]
