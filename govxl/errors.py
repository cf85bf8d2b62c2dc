"""Problems (row-level findings) and errors (whole-run failures) with their exit codes.

Exit codes are the contract of spec §6: macros and scripts rely on them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional

EXIT_OK = 0
EXIT_ROW_ERRORS = 1  # done, but some rows are errors
EXIT_USAGE = 2  # usage or config error, nothing written
EXIT_LOCKED = 3  # an output file is locked or unwritable, nothing overwritten
EXIT_UNREADABLE = 4  # an input cannot be read at all
EXIT_INTERNAL = 5  # internal error

ERROR = "error"
WARNING = "warning"


@dataclass
class Problem:
    """One finding about the inputs, located as precisely as we can."""

    severity: str  # "error" | "warning"
    message: str
    file: Optional[str] = None
    sheet: Optional[str] = None
    row: Optional[int] = None  # 1-based, as Excel shows it
    column: Optional[str] = None  # Excel column letter, e.g. "C"

    def to_dict(self) -> dict:
        d = asdict(self)
        return {k: d[k] for k in ("severity", "file", "sheet", "row", "column", "message")}

    def location(self) -> str:
        """Human location: file › sheet › 第N行 › C列."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(self.sheet)
        if self.row:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"{self.column}列")
        return " › ".join(parts)

    def render(self) -> str:
        tag = "错误" if self.severity == ERROR else "提示"
        loc = self.location()
        return f"[{tag}] {loc}：{self.message}" if loc else f"[{tag}] {self.message}"


class GovxlError(Exception):
    """A failure that ends the command with a Chinese message and an exit code."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str, *, path: Optional[str] = None):
        super().__init__(message)
        self.message = message
        self.path = path


class UsageError(GovxlError):
    exit_code = EXIT_USAGE


class ConfigError(GovxlError):
    """The config workbook is missing or wrong; carries every problem found."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, problems: Optional[list] = None, *, path: Optional[str] = None):
        super().__init__(message, path=path)
        self.problems = problems or []


class OutputLocked(GovxlError):
    exit_code = EXIT_LOCKED


class InputUnreadable(GovxlError):
    exit_code = EXIT_UNREADABLE


def col_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    s = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def worst_exit(codes) -> int:
    """Spec §6: when several apply, the highest number wins."""
    return max(codes, default=EXIT_OK)
