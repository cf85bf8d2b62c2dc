"""Run Basic macros headless in LibreOffice, for the macro contract tests.

    profile = make_profile(tmp / "lo-profile")          # a private LibreOffice user profile
    install_module(profile, "Govxl", lo_macro_code())   # govxl_lo.bas, the twin of govxl.bas
    run_macro(profile, "Govxl.RunGovxl", env={"GOVXL_MACRO_BOOK": ..., "GOVXL_MACRO_EXE": ...})

Modules go into the profile's Standard library ("My Macros"), which LibreOffice runs from a
macro:/// URL whatever the macro security level; a private profile keeps the tests away from any
other LibreOffice on the machine. vba_module_code() turns templates/govxl.bas (GBK, CRLF) into a
module LibreOffice compiles in its VBA compatibility mode, so the Excel module's syntax and its
JSON reading are checked too, even though WScript.Shell exists only on Windows.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
VBA_MODULE = HERE.parents[1] / "govxl" / "templates" / "govxl.bas"


def soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


def _cmd(profile: Path, *args) -> list:
    return [soffice(), "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            f"-env:UserInstallation={Path(profile).resolve().as_uri()}", *args]


def make_profile(profile: Path, timeout: float = 180) -> Path:
    """Create (once) a LibreOffice user profile with its Standard Basic library."""
    profile = Path(profile)
    if not (profile / "user" / "basic" / "Standard" / "script.xlb").exists():
        subprocess.run(_cmd(profile, "--terminate_after_init"), capture_output=True, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    if not (profile / "user" / "basic" / "Standard" / "script.xlb").exists():
        raise RuntimeError(f"LibreOffice did not create a profile in {profile}")
    return profile


def install_module(profile: Path, name: str, code: str):
    std = Path(profile) / "user" / "basic" / "Standard"
    (std / f"{name}.xba").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
        f'<script:module xmlns:script="http://openoffice.org/2000/script" script:name="{name}" '
        f'script:language="StarBasic">{escape(code)}</script:module>\n', encoding="utf-8")
    xlb = std / "script.xlb"
    text = xlb.read_text(encoding="utf-8")
    entry = f'<library:element library:name="{name}"/>'
    if entry not in text:
        xlb.write_text(text.replace("</library:library>", f" {entry}\n</library:library>"), encoding="utf-8")


def run_macro(profile: Path, macro: str, *, env: dict, timeout: float = 180, cwd=None) -> subprocess.CompletedProcess:
    """Run Standard.<macro> (e.g. "Govxl.RunGovxl") headless and wait for LibreOffice to exit."""
    e = dict(os.environ)
    e.pop("GOVXL_DEBUG", None)
    e.update({k: str(v) for k, v in env.items()})
    return subprocess.run(_cmd(profile, f"macro:///Standard.{macro}"), capture_output=True, timeout=timeout, env=e,
                          cwd=cwd, stdin=subprocess.DEVNULL)


def lo_macro_code() -> str:
    return (HERE / "govxl_lo.bas").read_text(encoding="utf-8")


VBA_PROBE = '''
Public Sub VbaProbe()
    ' writes what the Excel module's own helpers make of a real --result file
    Dim sJson As String, n As Integer
    sJson = LoReadUtf8(Environ("GOVXL_PROBE_JSON"))
    n = FreeFile
    Open Environ("GOVXL_PROBE_OUT") For Output As #n
    Print #n, "exit_code=" & JsonValue(sJson, "exit_code")
    Print #n, "outcome=" & Outcome(CLng(Val(JsonValue(sJson, "exit_code"))), sJson)
    Print #n, "output=" & FirstOutput(sJson)
    Print #n, "errors=" & CountErrors(sJson)
    Close #n
End Sub

Private Function LoReadUtf8(sPath As String) As String
    Dim oSfa As Object, oIn As Object, oText As Object, s As String
    oSfa = createUnoService("com.sun.star.ucb.SimpleFileAccess")
    oIn = oSfa.openFileRead(ConvertToURL(sPath))
    oText = createUnoService("com.sun.star.io.TextInputStream")
    oText.setInputStream(oIn)
    oText.setEncoding("UTF-8")
    Do While Not oText.isEOF()
        s = s & oText.readLine() & Chr(10)
    Loop
    oText.closeInput()
    LoReadUtf8 = s
End Function
'''


def vba_module_code() -> str:
    """templates/govxl.bas as a LibreOffice module in VBA mode, plus a probe of its JSON helpers."""
    vba = VBA_MODULE.read_bytes().decode("gbk").replace("\r\n", "\n")
    body = "\n".join(ln for ln in vba.split("\n") if not ln.startswith("Attribute "))
    return "Option VBASupport 1\n" + body + VBA_PROBE
