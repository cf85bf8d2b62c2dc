"""`govxl mail` against a real SMTP server (aiosmtpd on 127.0.0.1): plain, STARTTLS and implicit SSL
with a certificate made in the test, login accepted and refused, a refused recipient, re-runs that
send only what was not sent; what the server received is read back with the stdlib email parser."""
from __future__ import annotations

import datetime as dt
import email
import email.header
import email.policy
import email.utils
import json
import socket
import ssl
from pathlib import Path

import pytest

from govxl.errors import UsageError
from govxl.write.mailer import MailError, send_mail

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")
from aiosmtpd.smtp import AuthResult  # noqa: E402 (after the importorskip above)

LEVELS = ("县级", "市级", "省级", "国家级")
WORKBOOK_NAME = "XX县人民政府办公室2025年10月政务信息报送采用情况通报.xlsx"
SUBJECT = "XX县人民政府办公室2025年10月政务信息报送情况通报"
USER, PASSWORD = "xxk@example.gov.cn", "s3cret-授权码"  # non-ASCII: smtplib alone cannot send it
ASCII_USER, ASCII_PASSWORD = "ascii@example.gov.cn", "plain-Passw0rd"
ACCOUNTS = {USER: PASSWORD, ASCII_USER: ASCII_PASSWORD}


# ---------------------------------------------------------------- fixtures: data


def _unit(name, group, submitted, adopted, points, rank, group_rank, email_addr):
    return {
        "unit": name, "group": group, "submitted": submitted, "duplicates": 0, "adopted": adopted,
        "adopted_by_level": {"县级": adopted, "市级": 0, "省级": 0, "国家级": 0}, "instructions": 0,
        "points": points, "adoption_rate": adopted / submitted if submitted else 0.0, "quota": 2,
        "quota_met": submitted >= 2, "shortfall": max(0, 2 - submitted), "rank": rank, "group_rank": group_rank,
        "ytd_points": points * 5, "ytd_rank": rank, "contact": "", "email": email_addr,
    }


def make_result() -> dict:
    units = [
        _unit("城关镇", "乡镇", 5, 2, 16.5, 1, 1, "cgz@example.cn"),
        _unit("县财政局", "县直", 3, 1, 7.5, 2, 1, "czj@example.cn；czj2@example.cn"),
        _unit("河口镇", "乡镇", 1, 0, 0.5, 3, 2, "hkz@example.cn"),
        _unit("县档案馆", "县直", 0, 0, 0.0, 4, 2, ""),
    ]
    return {
        "office": "XX县人民政府办公室",
        "period": {"label": "2025-10", "start": "2025-10-01", "end": "2025-10-31", "kind": "month",
                   "title": "2025年10月"},
        "groups": ["乡镇", "县直"],
        "units": units,
        "authors": [],
        "totals": {"submitted": 9, "adopted": 3, "points": 24.5, "instructions": 0, "adoption_rate": 3 / 9,
                   "adopted_by_level": {"县级": 3, "市级": 0, "省级": 0, "国家级": 0}, "units": 4,
                   "zero_units": ["县档案馆"]},
        "rows": {}, "problems": [], "outputs": [],
    }


def make_workbook(folder: Path, value: str = "城关镇") -> Path:
    import xlsxwriter

    path = folder / WORKBOOK_NAME
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": dt.datetime(2025, 11, 1)})
    ws = wb.add_worksheet("排名通报")
    ws.write_string(0, 0, "单位")
    ws.write_string(1, 0, value)
    ws.write_number(1, 1, 16.5)
    wb.close()
    return path


def settings(port, encryption="无", **extra) -> dict:
    s = {"SMTP服务器": "127.0.0.1", "SMTP端口": port, "SMTP加密": encryption, "发件人": "xxk@example.gov.cn",
         "SMTP用户名": ""}
    s.update(extra)
    return s


# ---------------------------------------------------------------- fixtures: a real SMTP server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    """aiosmtpd handler: keeps every message; answers 550 for the addresses in reject."""

    def __init__(self, reject=(), drop_at=None):
        self.reject = {a.lower() for a in reject}
        self.messages = []  # dicts: mail_from, rcpt_tos, data, tls, auth
        self.drop_at = drop_at  # hang up, without an answer, on this DATA (1-based), once
        self.data_count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_count += 1
        if self.data_count == self.drop_at:
            server.transport.close()
            return "421 closing"
        self.messages.append({
            "mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos), "data": envelope.content,
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "auth": session.authenticated,
        })
        return "250 Message accepted for delivery"


def check_login(server, session, envelope, mechanism, auth_data):
    user = auth_data.login.decode("utf-8")
    ok = user in ACCOUNTS and auth_data.password == ACCOUNTS[user].encode("utf-8")
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, the server's and the CA to trust: made with
    `cryptography` when installed, else with the openssl command."""
    folder = tmp_path_factory.mktemp("cert")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    try:
        _make_cert_cryptography(cert_path, key_path)
    except ImportError:
        import shutil
        import subprocess

        if not shutil.which("openssl"):
            pytest.skip("neither cryptography nor openssl available to make a test certificate")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "30", "-subj", "/CN=127.0.0.1", "-keyout", str(key_path),
                        "-out", str(cert_path), "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                        "-addext", "basicConstraints=critical,CA:TRUE",
                        "-addext", "keyUsage=critical,digitalSignature,keyCertSign"],
                       check=True, capture_output=True)
    return cert_path, key_path


def _make_cert_cryptography(cert_path: Path, key_path: Path):
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                    x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, key_encipherment=False,
                                     content_commitment=False, data_encipherment=False, key_agreement=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))


def server_context(certificate) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(certificate[0]), str(certificate[1]))
    return ctx


@pytest.fixture
def smtp_server():
    """Start aiosmtpd servers on free ports; stops them after the test."""
    started = []

    def start(handler, **kwargs):
        port = free_port()
        c = aiosmtpd_controller.Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
        c.start()
        started.append(c)
        return port

    yield start
    for c in started:
        c.stop()


# ---------------------------------------------------------------- helpers


def parse(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def attachments_of(msg) -> list:
    return [p for p in msg.walk() if p.get_content_disposition() == "attachment"]


def assert_both_name_encodings(data: bytes, name: str, index: int = 0):
    """The raw headers carry the name as RFC 2231 (filename*) and as RFC 2047 (filename=, name=)."""
    raw = email.message_from_bytes(data, policy=email.policy.compat32)  # headers left as sent
    part = [p for p in raw.walk() if p.get_content_disposition() == "attachment"][index]
    raw_disp = str(part["Content-Disposition"])
    raw_type = str(part["Content-Type"])
    assert "filename*" in raw_disp and 'filename="=?utf-8?b?' in raw_disp
    assert 'name="=?utf-8?b?' in raw_type
    params = part.get_params(header="content-disposition")
    values = [v for k, v in params if k == "filename"]
    # compat32 lists the plain filename= (RFC 2047 words, what Outlook reads) then the RFC 2231 value
    assert len(values) == 2

    def decode_2047(v):
        text = email.utils.unquote(v).replace("\r", "").replace("\n", "")
        return "".join(b.decode(c or "ascii") if isinstance(b, bytes) else b
                       for b, c in email.header.decode_header(text))

    assert decode_2047(values[0]) == name
    assert email.utils.collapse_rfc2231_value(values[1]) == name
    assert decode_2047(part.get_param("name")) == name


# ---------------------------------------------------------------- tests


def test_plain_smtp_one_message_per_address_with_workbook_and_chinese_name(tmp_path, smtp_server):
    handler = Recorder()
    port = smtp_server(handler)
    workbook = make_workbook(tmp_path)
    result = make_result()
    report = send_mail(result, [workbook], settings(port), to=["leader@example.cn"], out_dir=tmp_path / "out")

    expected = ["cgz@example.cn", "czj@example.cn", "czj2@example.cn", "hkz@example.cn", "leader@example.cn"]
    assert report["sent"] == expected
    assert report["failed"] == []
    assert report["no_address"] == ["县档案馆"]  # named, not silently skipped
    assert [m["rcpt_tos"] for m in handler.messages] == [[a] for a in expected]
    assert all(m["mail_from"] == "xxk@example.gov.cn" for m in handler.messages)

    for m, addr in zip(handler.messages, expected):
        msg = parse(m["data"])
        assert msg["Subject"] == SUBJECT
        assert msg["To"].addresses[0].addr_spec == addr
        assert msg["From"].addresses[0].addr_spec == "xxk@example.gov.cn"
        assert msg["From"].addresses[0].display_name == "XX县人民政府办公室"
        atts = attachments_of(msg)
        assert len(atts) == 1
        assert atts[0].get_filename() == WORKBOOK_NAME
        assert atts[0].get_content() == workbook.read_bytes()
        assert_both_name_encodings(m["data"], WORKBOOK_NAME)

    # each unit's own figures in its body, from the result
    body = parse(handler.messages[0]["data"]).get_body(("plain",)).get_content()
    assert body.startswith("城关镇：")
    assert "城关镇本期报送信息5篇，被采用2篇，得分16.5分，在4个单位中排第1名（乡镇第1名）；已完成本期报送任务。" in body
    body = parse(handler.messages[3]["data"]).get_body(("plain",)).get_content()
    assert "河口镇本期报送信息1篇，被采用0篇，得分0.5分，在4个单位中排第3名（乡镇第2名）；未完成本期报送任务，差1篇。" in body
    leader = parse(handler.messages[4]["data"]).get_body(("plain",)).get_content()
    assert leader.startswith("您好：") and "本期报送信息" not in leader
    assert parse(handler.messages[4]["data"])["To"].addresses[0].display_name == ""

    record = json.loads((tmp_path / "out" / "mail" / "sent.json").read_text(encoding="utf-8"))
    assert [e["address"] for e in record["sent"]] == expected
    assert record["sent"][0]["units"] == ["城关镇"]
    assert record["sent"][0]["attachments"] == [WORKBOOK_NAME]


def test_refused_recipient_is_reported_and_rerun_sends_only_the_unsent(tmp_path, smtp_server):
    handler = Recorder(reject=["czj2@example.cn"])
    port = smtp_server(handler)
    workbook = make_workbook(tmp_path)
    out = tmp_path / "out"
    first = send_mail(make_result(), [workbook], settings(port), out_dir=out)
    assert first["sent"] == ["cgz@example.cn", "czj@example.cn", "hkz@example.cn"]
    assert len(first["failed"]) == 1
    failed = first["failed"][0]
    assert failed["address"] == "czj2@example.cn"
    assert "拒收收件人 czj2@example.cn" in failed["reason"] and "550" in failed["reason"]
    assert len(handler.messages) == 3

    handler.reject.clear()  # the mailbox was fixed; run again
    second = send_mail(make_result(), [workbook], settings(port), out_dir=out)
    assert second["sent"] == ["czj2@example.cn"]
    assert second["skipped_already_sent"] == ["cgz@example.cn", "czj@example.cn", "hkz@example.cn"]
    assert second["failed"] == []
    assert [m["rcpt_tos"] for m in handler.messages[3:]] == [["czj2@example.cn"]]

    third = send_mail(make_result(), [workbook], settings(port), out_dir=out)
    assert third["sent"] == [] and len(third["skipped_already_sent"]) == 4
    assert len(handler.messages) == 4

    # a corrected workbook is new content: everyone gets it
    make_workbook(tmp_path, value="城关镇（更正）")
    fourth = send_mail(make_result(), [workbook], settings(port), out_dir=out)
    assert len(fourth["sent"]) == 4 and fourth["skipped_already_sent"] == []
    assert attachments_of(parse(handler.messages[-1]["data"]))[0].get_content() == workbook.read_bytes()


def test_connection_lost_half_way_reconnects_and_goes_on(tmp_path, smtp_server):
    handler = Recorder(drop_at=2)
    port = smtp_server(handler)
    report = send_mail(make_result(), [make_workbook(tmp_path)], settings(port), out_dir=tmp_path / "out")
    expected = ["cgz@example.cn", "czj@example.cn", "czj2@example.cn", "hkz@example.cn"]
    assert report["sent"] == expected and report["failed"] == []
    assert [m["rcpt_tos"][0] for m in handler.messages] == expected  # the dropped one was sent again


def test_starttls_with_self_signed_certificate_and_login(tmp_path, smtp_server, certificate):
    handler = Recorder()
    port = smtp_server(handler, tls_context=server_context(certificate), require_starttls=True,
                       authenticator=check_login, auth_required=True)
    workbook = make_workbook(tmp_path)
    from govxl.write.notice import write_notice

    notice_docx = write_notice(make_result(), tmp_path / "notice")[1]
    cfg = settings(port, "STARTTLS", SMTP用户名=USER, SMTP证书文件=str(certificate[0]))
    report = send_mail(make_result(), [workbook, notice_docx], cfg, include_roster=False,
                       to=["leader@example.cn"], out_dir=tmp_path / "out", password=PASSWORD)
    assert report["sent"] == ["leader@example.cn"]
    assert len(handler.messages) == 1
    got = handler.messages[0]
    assert got["tls"] and got["auth"]
    msg = parse(got["data"])
    assert msg["Subject"] == SUBJECT
    names = [a.get_filename() for a in attachments_of(msg)]
    assert names == [WORKBOOK_NAME, notice_docx.name]
    assert attachments_of(msg)[1].get_content() == notice_docx.read_bytes()
    assert attachments_of(msg)[1].get_content_type() == \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_bad_login_stops_before_sending_and_names_the_server(tmp_path, smtp_server, certificate):
    handler = Recorder()
    port = smtp_server(handler, tls_context=server_context(certificate), require_starttls=True,
                       authenticator=check_login, auth_required=True)
    cfg = settings(port, "STARTTLS", SMTP用户名=ASCII_USER, SMTP证书文件=str(certificate[0]))
    with pytest.raises(MailError) as e:
        send_mail(make_result(), [make_workbook(tmp_path)], cfg, out_dir=tmp_path / "out", password="wrong")
    assert e.value.exit_code == 2
    assert f"127.0.0.1:{port}" in e.value.message and "拒绝登录" in e.value.message
    assert "GOVXL_SMTP_PASSWORD" in e.value.message
    assert handler.messages == []
    assert not (tmp_path / "out" / "mail" / "sent.json").exists()


def test_untrusted_certificate_is_a_clear_error(tmp_path, smtp_server, certificate):
    handler = Recorder()
    port = smtp_server(handler, tls_context=server_context(certificate), require_starttls=True)
    with pytest.raises(MailError) as e:
        send_mail(make_result(), [make_workbook(tmp_path)], settings(port, "STARTTLS"), out_dir=tmp_path / "out")
    assert "证书" in e.value.message and f"127.0.0.1:{port}" in e.value.message
    assert handler.messages == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_ssl(tmp_path, smtp_server, certificate):
    handler = Recorder()
    # aiosmtpd only counts STARTTLS as TLS for AUTH; the implicit-TLS socket is encrypted from the start
    port = smtp_server(handler, ssl_context=server_context(certificate), authenticator=check_login,
                       auth_required=True, auth_require_tls=False)
    cfg = settings(port, "SSL", SMTP用户名=ASCII_USER, SMTP证书文件=str(certificate[0]))
    workbook = make_workbook(tmp_path)
    report = send_mail(make_result(), [workbook], cfg, units_group="县直", out_dir=tmp_path / "out",
                       password=ASCII_PASSWORD)
    assert report["sent"] == ["czj@example.cn", "czj2@example.cn"]
    assert report["no_address"] == ["县档案馆"]
    assert all(m["tls"] and m["auth"] for m in handler.messages)
    assert attachments_of(parse(handler.messages[0]["data"]))[0].get_content() == workbook.read_bytes()


def test_wrong_encryption_for_the_port_is_explained(tmp_path, smtp_server, certificate, monkeypatch):
    import govxl.write.mailer

    monkeypatch.setattr(govxl.write.mailer, "TIMEOUT_S", 1)  # both sides wait for the other to speak first
    port = smtp_server(Recorder(), ssl_context=server_context(certificate))
    with pytest.raises(MailError) as e:  # plain SMTP spoken to an SSL port
        send_mail(make_result(), [make_workbook(tmp_path)], settings(port, "无"), out_dir=tmp_path / "out")
    assert f"127.0.0.1:{port}" in e.value.message and "SMTP加密" in e.value.message
    plain_port = smtp_server(Recorder())
    with pytest.raises(MailError) as e:  # SSL spoken to a plain port
        send_mail(make_result(), [make_workbook(tmp_path)], settings(plain_port, "SSL"), out_dir=tmp_path / "out")
    assert f"127.0.0.1:{plain_port}（SSL）" in e.value.message and "加密连接失败" in e.value.message


def test_connection_refused_names_the_server(tmp_path):
    port = free_port()  # nothing listens there
    with pytest.raises(MailError) as e:
        send_mail(make_result(), [make_workbook(tmp_path)], settings(port), out_dir=tmp_path / "out")
    assert e.value.exit_code == 2
    assert f"127.0.0.1:{port}" in e.value.message and "连接被拒绝" in e.value.message


def test_dry_run_writes_one_eml_per_message(tmp_path):
    workbook = make_workbook(tmp_path)
    out = tmp_path / "out"
    report = send_mail(make_result(), [workbook], settings(25, "SSL", SMTP服务器=""), to=["leader@example.cn"],
                       dry_run=True, out_dir=out)
    names = [Path(p).name for p in report["eml"]]
    assert names == ["001_城关镇_cgz@example.cn.eml", "002_县财政局_czj@example.cn.eml",
                     "003_县财政局_czj2@example.cn.eml", "004_河口镇_hkz@example.cn.eml",
                     "005_收件人_leader@example.cn.eml"]
    assert report["sent"] == []
    assert not (out / "mail" / "sent.json").exists()
    for p in report["eml"]:
        data = Path(p).read_bytes()
        assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
        msg = parse(data)
        assert msg["Subject"] == SUBJECT
        att = attachments_of(msg)[0]
        assert att.get_filename() == WORKBOOK_NAME
        assert att.get_content() == workbook.read_bytes()
    # a second dry run with fewer recipients leaves no stale .eml behind
    again = send_mail(make_result(), [workbook], settings(25), units_group="乡镇", dry_run=True, out_dir=out)
    assert sorted(p.name for p in (out / "mail").glob("*.eml")) == \
        ["001_城关镇_cgz@example.cn.eml", "002_河口镇_hkz@example.cn.eml"]
    assert [Path(p).name for p in again["eml"]] == ["001_城关镇_cgz@example.cn.eml", "002_河口镇_hkz@example.cn.eml"]


def test_long_chinese_name_uses_rfc2231_continuations(tmp_path):
    long_name = "XX县人民政府办公室关于2025年第三季度各乡镇及县直各单位政务信息报送采用情况的通报（附件二）.docx"
    path = tmp_path / long_name
    path.write_bytes(b"PK\x03\x04 not really a docx")
    report = send_mail(make_result(), [path], settings(25), include_roster=False, to=["a@example.cn"],
                       dry_run=True, out_dir=tmp_path / "out")
    data = Path(report["eml"][0]).read_bytes()
    assert b"filename*0*=utf-8''" in data and b"filename*1*=" in data
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    att = attachments_of(parse(data))[0]
    assert att.get_filename() == long_name
    assert_both_name_encodings(data, long_name)


def test_usage_and_settings_errors(tmp_path):
    wb = make_workbook(tmp_path)
    out = tmp_path / "out"
    with pytest.raises(UsageError, match="收件人地址格式不正确：not-an-address"):
        send_mail(make_result(), [wb], settings(25), to=["not-an-address"], dry_run=True, out_dir=out)
    with pytest.raises(UsageError, match="分组“县直三类”不在单位名册中"):
        send_mail(make_result(), [wb], settings(25), units_group="县直三类", dry_run=True, out_dir=out)
    with pytest.raises(UsageError, match="附件无法读取"):
        send_mail(make_result(), [tmp_path / "missing.xlsx"], settings(25), dry_run=True, out_dir=out)
    with pytest.raises(MailError, match="SMTP加密"):
        send_mail(make_result(), [wb], settings(25, "ROT13"), dry_run=True, out_dir=out)
    with pytest.raises(MailError, match="发件人"):
        send_mail(make_result(), [wb], settings(25, 发件人=""), out_dir=out)
    # a dry run sends nothing: no sender needed, and its messages say so (issue 20.3)
    report = send_mail(make_result(), [wb], settings(25, 发件人=""), dry_run=True, out_dir=out)
    assert report["notes"] and "发件人”为空" in report["notes"][0]
    first = email.message_from_bytes(Path(report["eml"][0]).read_bytes())
    assert "sender-not-set@example.invalid" in first["From"]
    with pytest.raises(MailError, match="SMTP服务器"):
        send_mail(make_result(), [wb], settings(25, SMTP服务器=""), out_dir=out)
    with pytest.raises(MailError, match="GOVXL_SMTP_PASSWORD"):
        send_mail(make_result(), [wb], settings(free_port(), SMTP用户名=USER), out_dir=out, password=None)
    result = make_result()
    for u in result["units"]:
        u["email"] = ""
    with pytest.raises(UsageError, match="没有收件人"):
        send_mail(result, [wb], settings(25), dry_run=True, out_dir=out)


def test_malformed_roster_address_is_a_failure_not_a_silent_skip(tmp_path, smtp_server):
    handler = Recorder()
    port = smtp_server(handler)
    result = make_result()
    result["units"][2]["email"] = "hkz-at-example.cn"
    report = send_mail(result, [make_workbook(tmp_path)], settings(port), out_dir=tmp_path / "out")
    assert report["failed"] == [{"address": "hkz-at-example.cn",
                                 "reason": "单位名册中“河口镇”的邮箱“hkz-at-example.cn”格式不正确，未发送"}]
    assert report["sent"] == ["cgz@example.cn", "czj@example.cn", "czj2@example.cn"]
    assert len(handler.messages) == 3
