"""`govxl mail`: send the ranking workbook (and notice) to the roster's addresses over SMTP.

One message per recipient address (a unit's own figures go in its body), subject and body from
the templates mail_subject.txt.j2 / mail_body.txt.j2 (workspace templates/ first). The envelope,
attachments with their Chinese names, the sent record and the .eml of a dry run are `mailparts`,
shared with `remind`, which also sends through this module's SMTP session (Session, send_all).

Settings (设置 sheet): SMTP服务器, SMTP端口, SMTP加密 (SSL / STARTTLS / 无), 发件人, SMTP用户名,
optionally SMTP证书文件 (a CA file to trust, for an office server with its own certificate).
The password comes only from the caller (the CLI reads GOVXL_SMTP_PASSWORD).

Failures:
- the server cannot be reached or refuses the login, settings are missing or wrong: MailError
  (a GovxlError, exit code 2), raised before anything is sent, naming the server;
- a recipient refused, a message rejected, the connection lost half-way: recorded per address in
  the returned ``failed`` list, nothing raised; the caller maps ``failed`` to exit code 1.

``out_dir/mail/sent.json`` records each address sent, with the SHA-256 of its attachments; a
re-run sends only to addresses that have not received these very attachments. A unit may get a
workbook of its own beside (or instead of) the shared ones: ``unit_attachments``. ``dry_run``
writes one .eml per message to ``out_dir/mail/`` instead (names ``NNN_单位_地址.eml``).
"""
from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import re
import smtplib
import socket
import ssl
from pathlib import Path

from ..errors import EXIT_USAGE, GovxlError, UsageError, os_reason
from .mailparts import (SENT_RECORD, already_sent, attachments_digest, compose, load_sent, message_bytes, one_line,
                        save_sent, write_eml)

SUBJECT_TEMPLATE = "mail_subject.txt.j2"
BODY_TEMPLATE = "mail_body.txt.j2"
MAIL_DIR = "mail"
TIMEOUT_S = 30

ADDRESS_RE = re.compile(r"^[A-Za-z0-9._%+\-']+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")
ADDRESS_SPLIT_RE = re.compile(r"[;,；，、\s]+")

ENCRYPTION = {
    "SSL": "ssl", "SSL/TLS": "ssl", "SMTPS": "ssl", "": "ssl",
    "STARTTLS": "starttls", "TLS": "starttls", "START TLS": "starttls",
    "无": "none", "不加密": "none", "NONE": "none", "否": "none", "PLAIN": "none",
}
DEFAULT_PORT = {"ssl": 465, "starttls": 587, "none": 25}
ENCRYPTION_LABEL = {"ssl": "SSL", "starttls": "STARTTLS", "none": "无"}


class MailError(GovxlError):
    """Mail cannot be sent at all: settings, connection, TLS or login (exit 2, nothing sent)."""

    exit_code = EXIT_USAGE


# ---------------------------------------------------------------- settings and recipients


# the From of a dry run's .eml when 设置 has no 发件人 (.invalid: a domain that can never receive mail)
DRY_RUN_SENDER = "sender-not-set@example.invalid"


def mail_settings(settings: dict, *, need_server: bool) -> dict:
    """Validate the SMTP settings of the 设置 sheet; MailError names the setting that is wrong."""
    def get(key):
        v = settings.get(key)
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return str(v).strip()

    enc_text = get("SMTP加密")
    enc = ENCRYPTION.get(enc_text.upper())
    if enc is None:
        raise MailError(f"设置表中“SMTP加密”的值“{enc_text}”无法识别，请填写 SSL、STARTTLS 或 无。")
    sender = get("发件人")
    if not sender and not need_server:
        sender = DRY_RUN_SENDER  # a dry run sends nothing: its .eml say plainly that no sender is set
    if not sender:
        raise MailError("设置表中“发件人”为空，请填写发件邮箱地址。")
    if not ADDRESS_RE.match(sender):
        raise MailError(f"设置表中“发件人”的地址“{sender}”格式不正确。")
    server = get("SMTP服务器")
    if need_server and not server:
        raise MailError("设置表中“SMTP服务器”为空，请填写发送邮件的服务器（如 smtp.example.gov.cn）。")
    port_text = get("SMTP端口")
    if port_text:
        try:
            port = int(float(port_text))
        except ValueError:
            raise MailError(f"设置表中“SMTP端口”的值“{port_text}”不是数字。") from None
        if not 0 < port < 65536:
            raise MailError(f"设置表中“SMTP端口”的值“{port_text}”超出范围（1–65535）。")
    else:
        port = DEFAULT_PORT[enc]
    cafile = get("SMTP证书文件")
    if cafile and not Path(cafile).is_file():
        raise MailError(f"设置表中“SMTP证书文件”指向的文件不存在：{cafile}")
    return {"server": server, "port": port, "encryption": enc, "sender": sender,
            "username": get("SMTP用户名"), "cafile": cafile}


def smtp_config(settings: dict, *, dry_run: bool, password: str | None) -> dict:
    """mail_settings for a run that sends (or, dry, only writes .eml); MailError before anything is sent."""
    cfg = mail_settings(settings, need_server=not dry_run)
    if not dry_run and cfg["username"] and not password:
        raise MailError("设置了“SMTP用户名”，但没有提供密码：请先设置环境变量 GOVXL_SMTP_PASSWORD。")
    return cfg


def split_addresses(text) -> list[str]:
    """A 邮箱 cell may hold several addresses separated by ; , 、 or spaces."""
    return [a for a in ADDRESS_SPLIT_RE.split(str(text or "").strip()) if a]


def mail_recipients(result: dict, *, to=(), units_group=None, include_roster=True):
    """(recipients, no_address, invalid): recipients in roster display order then --to, one per
    address (case-insensitive); each {"address", "units": [unit dicts]}. Units without an address
    are listed by name in no_address; malformed roster addresses in invalid as failed entries."""
    units = _units_of_group(result, units_group)
    by_addr: dict[str, dict] = {}  # lower-case address → recipient, in the order first met
    no_address: list[str] = []
    invalid: list[dict] = []
    if include_roster:
        for u in units:
            addrs = split_addresses(u.get("email"))
            if not addrs:
                no_address.append(u.get("unit"))
            for a in addrs:
                if ADDRESS_RE.match(a):
                    _add_recipient(by_addr, a, u)
                else:
                    invalid.append({"address": a, "reason": f"单位名册中“{u.get('unit')}”的邮箱“{a}”格式不正确，未发送"})
    extra = [str(a).strip() for a in to if str(a).strip()]
    bad = [a for a in extra if not ADDRESS_RE.match(a)]
    if bad:
        raise UsageError(f"收件人地址格式不正确：{'、'.join(bad)}")
    for a in extra:
        _add_recipient(by_addr, a)
    return list(by_addr.values()), no_address, invalid


def _units_of_group(result: dict, units_group) -> list:
    """The result's units, or those of one group (UsageError naming the groups for an unknown one)."""
    units = list(result.get("units") or [])
    if units_group is None:
        return units
    groups = list(result.get("groups") or []) or sorted({u.get("group") for u in units if u.get("group")})
    if units_group not in groups and not any(u.get("group") == units_group for u in units):
        raise UsageError(f"分组“{units_group}”不在单位名册中。可选的分组：{'、'.join(groups) or '（无）'}")
    return [u for u in units if u.get("group") == units_group]


def _add_recipient(by_addr: dict, address: str, unit=None):
    key = address.lower()
    if key not in by_addr:
        by_addr[key] = {"address": address, "units": []}
    if unit is not None and unit not in by_addr[key]["units"]:
        by_addr[key]["units"].append(unit)


# ---------------------------------------------------------------- message building


def _context(result: dict, recipient: dict, attachments: list[str]) -> dict:
    from .noticedata import notice_context

    ctx = notice_context(result)
    units = [next((x for x in ctx["units"] if x.get("unit") == u.get("unit")), u) for u in recipient["units"]]
    ctx.update({
        "unit": units[0] if units else None,
        "recipient_units": units,
        "address": recipient["address"],
        "attachments": attachments,
    })
    return ctx


def build_message(result: dict, recipient: dict, attachments: list[tuple[str, bytes]], cfg: dict, *,
                  template_dir=None, digest: str = ""):
    """One message (email.message.Message, compat32) to one address."""
    from .notice import render_template

    ctx = _context(result, recipient, [n for n, _ in attachments])
    subject = one_line(render_template(SUBJECT_TEMPLATE, ctx, template_dir))
    body = render_template(BODY_TEMPLATE, ctx, template_dir).strip() + "\n"
    unit_names = "、".join(u.get("unit") or "" for u in recipient["units"])
    label = (result.get("period") or {}).get("label") or ""
    token = hashlib.sha256(f"{label}|{recipient['address'].lower()}|{digest}".encode()).hexdigest()
    return compose(cfg["sender"], result.get("office") or "", unit_names, recipient["address"], subject, body,
                   attachments, token)


# ---------------------------------------------------------------- SMTP


def _where(cfg) -> str:
    return f"{cfg['server']}:{cfg['port']}（{ENCRYPTION_LABEL[cfg['encryption']]}）"


def _tls_context(cfg) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    if cfg.get("cafile"):
        ctx.load_verify_locations(cafile=cfg["cafile"])
    return ctx


def connect(cfg: dict, password: str | None):
    """Open and authenticate an SMTP session; MailError (exit 2) with a message naming the server."""
    where = _where(cfg)
    smtp = None
    try:
        if cfg["encryption"] == "ssl":
            smtp = smtplib.SMTP_SSL(cfg["server"], cfg["port"], timeout=TIMEOUT_S, context=_tls_context(cfg))
        else:
            smtp = smtplib.SMTP(cfg["server"], cfg["port"], timeout=TIMEOUT_S)
        smtp.ehlo()
        if cfg["encryption"] == "starttls":
            if not smtp.has_extn("starttls"):
                raise MailError(f"邮件服务器 {where} 不支持 STARTTLS，请把“SMTP加密”改为 SSL（常用端口 465）或 无。")
            smtp.starttls(context=_tls_context(cfg))
            smtp.ehlo()
        if cfg["username"]:
            _login(smtp, cfg["username"], password or "")
        return smtp
    except MailError:
        _close(smtp)
        raise
    except smtplib.SMTPAuthenticationError as e:
        _close(smtp)
        raise MailError(f"邮件服务器 {where} 拒绝登录（用户名 {cfg['username']}）：{_reply(e)}。"
                        "请检查“SMTP用户名”和环境变量 GOVXL_SMTP_PASSWORD（有的邮箱要用授权码而不是登录密码）。") from None
    except smtplib.SMTPNotSupportedError:
        _close(smtp)
        raise MailError(f"邮件服务器 {where} 不接受登录（未提供 AUTH），可能需要先加密连接："
                        "请把“SMTP加密”设为 SSL 或 STARTTLS。") from None
    except ssl.SSLCertVerificationError as e:
        _close(smtp)
        raise MailError(f"邮件服务器 {where} 的证书无法验证（{e.verify_message}）。如服务器使用单位自建证书，"
                        "请在设置表“SMTP证书文件”中填写其证书文件路径。") from None
    except ssl.SSLError as e:
        _close(smtp)
        raise MailError(f"与邮件服务器 {where} 建立加密连接失败（{e.reason or e}）。请确认“SMTP加密”与端口相符："
                        "465 端口通常用 SSL，587 端口用 STARTTLS。") from None
    except ConnectionRefusedError:
        _close(smtp)
        raise MailError(f"无法连接邮件服务器 {where}：连接被拒绝。请检查设置表中的“SMTP服务器”和“SMTP端口”。") from None
    except socket.gaierror:
        _close(smtp)
        raise MailError(f"找不到邮件服务器 {cfg['server']}：请检查“SMTP服务器”是否写对、本机能否上网。") from None
    except TimeoutError:
        _close(smtp)
        raise MailError(f"连接邮件服务器 {where} 超时（{TIMEOUT_S} 秒无响应）。请检查网络和端口。") from None
    except smtplib.SMTPServerDisconnected:
        _close(smtp)
        raise MailError(f"邮件服务器 {where} 断开了连接。常见原因是“SMTP加密”与端口不符："
                        "465 端口通常用 SSL，587 和 25 端口用 STARTTLS 或 无。") from None
    except smtplib.SMTPException as e:
        _close(smtp)
        raise MailError(f"邮件服务器 {where} 返回错误：{_reply(e)}") from None
    except OSError as e:
        _close(smtp)
        raise MailError(f"无法连接邮件服务器 {where}：{os_reason(e)}") from None


def _login(smtp, user: str, password: str):
    """smtplib's login, except that a non-ASCII user name or password (which smtplib cannot encode)
    goes as UTF-8 in AUTH PLAIN (RFC 4616) or AUTH LOGIN."""
    if (user + password).isascii():
        smtp.login(user, password)
        return
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    mechanisms = smtp.esmtp_features.get("auth", "").upper().split()

    def b64(text: str) -> str:
        return base64.b64encode(text.encode("utf-8")).decode("ascii")

    if "PLAIN" in mechanisms:
        code, resp = smtp.docmd("AUTH", "PLAIN " + b64(f"\0{user}\0{password}"))
    elif "LOGIN" in mechanisms:
        code, resp = smtp.docmd("AUTH", "LOGIN " + b64(user))
        if code == 334:
            code, resp = smtp.docmd(b64(password))
    else:
        raise smtplib.SMTPNotSupportedError("No suitable authentication method found.")
    if code not in (235, 503):  # 503: already authenticated
        raise smtplib.SMTPAuthenticationError(code, resp)


def _close(smtp):
    if smtp is None:
        return
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        try:
            smtp.close()
        except OSError:
            pass


def _reply(e) -> str:
    code = getattr(e, "smtp_code", None)
    text = getattr(e, "smtp_error", b"")
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip() if code else str(e)


# ---------------------------------------------------------------- the command


def send_mail(
    result: dict,
    attachments: list,
    settings: dict,
    *,
    to=(),
    units_group: str | None = None,
    include_roster: bool = True,
    dry_run: bool = False,
    out_dir: Path,
    template_dir: Path | None = None,
    password: str | None = None,
    unit_attachments: dict | None = None,
    shared_to_units: bool = True,
) -> dict:
    """Send (or with dry_run write as .eml) one message per recipient address.

    attachments go to every recipient; unit_attachments ({unit: [paths]}) only to that unit's addresses,
    and with shared_to_units=False a unit's address gets its own files alone (an address of no unit, a
    --recipient, always gets the shared ones).

    Returns {"sent": [addresses], "failed": [{"address", "reason"}], "skipped_already_sent":
    [addresses], "eml": [paths], "no_address": [unit names without 邮箱], "sent_record": path}.
    Raises MailError (exit 2) when nothing can be sent (settings, connection, login), UsageError
    (exit 2) for a bad --to address, an unknown group, a missing attachment or no recipient.
    """
    mail_dir = Path(out_dir) / MAIL_DIR
    cfg = smtp_config(settings, dry_run=dry_run, password=password)
    files = _read_attachments(attachments)
    own = {u: _read_attachments(ps) for u, ps in (unit_attachments or {}).items()}

    recipients, no_address, invalid = mail_recipients(result, to=to, units_group=units_group,
                                                      include_roster=include_roster)
    if not recipients and not invalid:
        where = f"分组“{units_group}”" if units_group else "单位名册"
        raise UsageError(f"没有收件人：{where}中没有填写邮箱，也没有用 --recipient 指定收件人。")

    record_path = mail_dir / SENT_RECORD
    record = load_sent(record_path)
    report = {"sent": [], "failed": list(invalid), "skipped_already_sent": [], "eml": [],
              "no_address": no_address, "sent_record": str(record_path)}
    if cfg["sender"] == DRY_RUN_SENDER:
        report["notes"] = [f"设置表中“发件人”为空：演练生成的邮件发件人写作 {DRY_RUN_SENDER}，正式发送前请填写"]
    todo = _pending(recipients, files, own, shared_to_units, record, report)

    def message(r, theirs, digest):
        return message_bytes(build_message(result, r, theirs, cfg, template_dir=template_dir, digest=digest))

    if dry_run:
        write_eml(mail_dir, ((r, message(r, f, d)) for r, f, d in todo), report)
    elif todo:
        # Build every message first: a template error stops the run before anything is sent.
        messages = [(r, message(r, f, d), {"attachments": [n for n, _ in f], "attachments_sha256": d})
                    for r, f, d in todo]
        record.setdefault("period", (result.get("period") or {}).get("label") or "")
        send_all(messages, cfg, password, report, record, record_path)
    return report


def _pending(recipients: list, files: list, own: dict, shared_to_units: bool, record: dict, report: dict) -> list:
    """(recipient, its files, their digest) of each recipient that has not had these very files; the
    others go into report["skipped_already_sent"]."""
    todo = []
    for r in recipients:
        mine = [f for u in r["units"] for f in own.get(u.get("unit"), ())]
        theirs = (files if shared_to_units or not r["units"] or not mine else []) + mine
        digest = attachments_digest(theirs)
        if already_sent(record, r["address"], {"attachments_sha256": digest}):
            report["skipped_already_sent"].append(r["address"])
        else:
            todo.append((r, theirs, digest))
    return todo


def _read_attachments(attachments: list) -> list:
    """[(file name, bytes)] of the files to attach; UsageError for one that cannot be read."""
    files = []
    for p in attachments:
        p = Path(p)
        try:
            files.append((p.name, p.read_bytes()))
        except OSError as e:
            raise UsageError(f"要发送的附件无法读取：{p}（{os_reason(e)}）。请先运行 govxl score 生成。",
                             path=str(p)) from None
    return files


class Session:
    """The SMTP session of a run: a server that drops it half-way gets one fresh connection, one retry."""

    def __init__(self, cfg: dict, password: str | None):
        self.cfg, self.password = cfg, password
        self.smtp = connect(cfg, password)

    def send(self, address: str, data: bytes):
        try:
            self.smtp.sendmail(self.cfg["sender"], [address], data)
        except smtplib.SMTPServerDisconnected:
            _close(self.smtp)
            self.smtp = None
            self.smtp = connect(self.cfg, self.password)
            self.smtp.sendmail(self.cfg["sender"], [address], data)


def send_all(messages: list, cfg: dict, password: str | None, report: dict, record: dict, record_path: Path) -> set:
    """Send each (recipient, message bytes, what to record with it); every message sent goes into the
    record at once (its address, units and the entries given), every failure into report["failed"].
    Returns the places (in messages) of the messages sent."""
    session = Session(cfg, password)
    done = set()
    try:
        for i, (r, data, sent_with) in enumerate(messages):
            addr = r["address"]
            try:
                session.send(addr, data)
            except (MailError, smtplib.SMTPException, OSError) as e:
                stop, reason = _send_failure(e, cfg, addr)
                if stop:
                    _fail_rest(report, messages[i:], reason)
                    return done
                report["failed"].append({"address": addr, "reason": reason})
                continue
            done.add(i)
            report["sent"].append(addr)
            record["sent"].append({
                "address": addr,
                "units": [u.get("unit") for u in r["units"]],
                **sent_with,
                "sent_at": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            })
            save_sent(record_path, record)
    finally:
        _close(session.smtp)
    return done


def _send_failure(e: Exception, cfg: dict, addr: str) -> tuple:
    """(whether the run stops, the reason) for what sending to addr raised: a lost connection or a refused
    sender stops every message left; a refused recipient or message fails that address alone."""
    if isinstance(e, MailError):
        return True, e.message
    if isinstance(e, smtplib.SMTPServerDisconnected):
        return True, f"与邮件服务器 {_where(cfg)} 的连接中断（{e}）"
    if isinstance(e, smtplib.SMTPSenderRefused):
        return True, f"邮件服务器 {_where(cfg)} 拒绝发件人 {cfg['sender']}：{_reply(e)}"
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(e.recipients.values()), (None, b""))
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return False, f"邮件服务器拒收收件人 {addr}：{code} {text}".strip()
    if isinstance(e, smtplib.SMTPDataError):
        return False, f"邮件服务器拒收发给 {addr} 的邮件：{_reply(e)}"
    return False, f"发给 {addr} 失败：{_reply(e)}"


def _fail_rest(report: dict, rest: list, reason: str):
    """Every message not yet sent goes into failed with the reason the run stopped."""
    for r, *_ in rest:
        report["failed"].append({"address": r["address"], "reason": f"未发送：{reason}"})
