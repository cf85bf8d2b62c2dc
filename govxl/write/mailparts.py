"""What every message govxl mails shares (`mail`, `remind`): the envelope, attachments with Chinese names,
the bytes on the wire, the .eml of a dry run and the record of what was sent.

Attachments carry their Chinese file names twice, so every client shows them: RFC 2231
(``filename*=utf-8''...``, split into continuations like Thunderbird does) and the RFC 2047
encoded-word fallback in ``filename=`` and ``name=`` that Outlook and Foxmail read.

The sent record (``sent.json`` in a command's mail folder) lists each message sent: its address, its
units and what makes it the same message again (for `mail` the SHA-256 of its attachments, for `remind`
the day it reminds of). A re-run sends only what the record does not hold.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import quote

SENT_RECORD = "sent.json"

MIME_TYPES = {
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".xls": ("application", "vnd.ms-excel"),
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".doc": ("application", "msword"),
    ".pdf": ("application", "pdf"),
    ".md": ("text", "markdown"),
    ".csv": ("text", "csv"),
    ".txt": ("text", "plain"),
}


# ---------------------------------------------------------------- attachment names


def _encoded_words(text: str) -> str:
    """RFC 2047 B-encoded words of at most 75 characters, whole characters per word."""
    words, cur = [], ""
    for ch in text:
        if len(base64.b64encode((cur + ch).encode("utf-8"))) + 12 > 75 and cur:
            words.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        words.append(cur)
    return "\n ".join(f"=?utf-8?b?{base64.b64encode(w.encode('utf-8')).decode('ascii')}?=" for w in words)


def _rfc2231(name: str, param: str = "filename", chunk: int = 60) -> str:
    """filename*=utf-8''... ; when long, split into filename*0*=, filename*1*=... continuations
    (RFC 2231 §3-4) at character boundaries, so each piece is valid UTF-8 on its own."""
    pieces, cur = [], ""
    for ch in name:
        q = quote(ch, safe="")
        if cur and len(cur) + len(q) > chunk:
            pieces.append(cur)
            cur = ""
        cur += q
    if cur:
        pieces.append(cur)
    if len(pieces) == 1:
        return f"{param}*=utf-8''{pieces[0]}"
    return ";\n ".join(f"{param}*{n}*=utf-8''{p}" if n == 0 else f"{param}*{n}*={p}" for n, p in enumerate(pieces))


def attachment_part(name: str, data: bytes):
    """A MIME part whose Chinese file name both RFC 2231 and RFC 2047 readers decode."""
    from email import encoders
    from email.mime.base import MIMEBase

    maintype, subtype = MIME_TYPES.get(Path(name).suffix.lower(), ("application", "octet-stream"))
    part = MIMEBase(maintype, subtype)
    part.set_payload(data)
    encoders.encode_base64(part)
    del part["Content-Type"]
    ctype = f"{maintype}/{subtype}"
    if maintype == "text":
        ctype += '; charset="utf-8"'
    if name.isascii():
        part["Content-Type"] = f'{ctype};\n name="{name}"'
        part["Content-Disposition"] = f'attachment;\n filename="{name}"'
    else:
        words = _encoded_words(name)
        part["Content-Type"] = f'{ctype};\n name="{words}"'
        part["Content-Disposition"] = f'attachment;\n filename="{words}";\n {_rfc2231(name)}'
    return part


# ---------------------------------------------------------------- the message


def compose(sender: str, office: str, to_names: str, address: str, subject: str, body: str,
            attachments: list[tuple[str, bytes]], token: str):
    """One message (email.message.Message, compat32) from `sender` (shown as `office`) to `address`
    (shown as `to_names`); token (hex) makes its Message-ID and MIME boundary, the same for the same
    message."""
    from email.header import Header
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText
    from email.utils import formataddr, formatdate

    msg = MIMEMultipart()
    msg["From"] = formataddr((office, sender), charset="utf-8") if office else sender
    msg["To"] = formataddr((to_names, address), charset="utf-8") if to_names else address
    msg["Subject"] = Header(subject, "utf-8")
    msg["Date"] = formatdate(localtime=True)
    domain = sender.rsplit("@", 1)[-1]
    msg["Message-ID"] = f"<govxl.{token[:32]}@{domain}>"
    msg.set_boundary(f"==govxl_{token[:24]}==")
    msg.preamble = ""
    msg.attach(MIMEText(body, "plain", "utf-8"))
    for name, data in attachments:
        msg.attach(attachment_part(name, data))
    return msg


def message_bytes(msg) -> bytes:
    import email.policy
    import io
    from email.generator import BytesGenerator

    buf = io.BytesIO()
    BytesGenerator(buf, mangle_from_=False, policy=email.policy.compat32.clone(linesep="\r\n")).flatten(msg)
    return buf.getvalue()


def one_line(text: str) -> str:
    """A rendered subject template as one line."""
    return " ".join(text.split())


# ---------------------------------------------------------------- the sent record


def attachments_digest(attachments: list[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for name, data in attachments:
        h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def load_sent(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("sent"), list):
            return data
    except (OSError, ValueError):
        pass
    return {"sent": []}


def save_sent(path: Path, record: dict):
    from .safeio import atomic_write

    text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def already_sent(record: dict, address: str, match: dict) -> bool:
    """Whether the record holds a message to address (any case) whose entries equal all of match's."""
    a = address.lower()
    return any(e.get("address", "").lower() == a and all(e.get(k) == v for k, v in match.items())
               for e in record["sent"])


# ---------------------------------------------------------------- a dry run


def safe_name(text: str) -> str:
    from .safeio import name_part

    return name_part(re.sub(r"\s+", "_", text), limit=60).strip("_")


def write_eml(mail_dir: Path, messages, report: dict):
    """A dry run: each (recipient, message bytes) as NNN_单位_地址.eml in mail_dir, in place of the last dry
    run's (messages may be built as they are written)."""
    from .safeio import atomic_write

    mail_dir.mkdir(parents=True, exist_ok=True)
    for old in mail_dir.glob("*.eml"):
        if re.match(r"^\d{3}_", old.name):
            old.unlink()
    for n, (r, data) in enumerate(messages, 1):
        who = "、".join(u.get("unit") or "" for u in r["units"]) or "收件人"
        path = mail_dir / f"{n:03d}_{safe_name(who)}_{safe_name(r['address'])}.eml"
        atomic_write(path, lambda tmp, data=data: Path(tmp).write_bytes(data))
        report["eml"].append(str(path))
