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


# errno → what a clerk reads; English strerror text never reaches a message (spec: messages in Chinese)
_OS_REASONS = {
    "ENOENT": "文件或文件夹不存在",
    "EACCES": "没有访问权限",
    "EPERM": "操作不被允许（权限不足）",
    "EISDIR": "这是文件夹，不是文件",
    "ENOTDIR": "路径中的某一级不是文件夹",
    "ELOOP": "符号链接形成循环",
    "ENAMETOOLONG": "文件名或路径过长",
    "EROFS": "所在磁盘或共享文件夹为只读",
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "超出磁盘配额",
    "EEXIST": "同名文件已存在",
    "EBUSY": "文件正被其他程序使用",
    "ETXTBSY": "文件正被其他程序使用",
    "EIO": "读写错误（磁盘或网络共享出错）",
    "ENXIO": "设备不存在或未连接",
    "ENODEV": "设备不存在",
    "ESTALE": "网络共享已断开",
    "EHOSTDOWN": "网络共享所在的计算机无法连接",
    "ETIMEDOUT": "连接超时",
    "ECONNREFUSED": "连接被拒绝",
    "ECONNRESET": "连接被对方断开",
    "ENETUNREACH": "网络不可达",
    "EHOSTUNREACH": "无法连接到该主机",
    "EINVAL": "名称或参数无效",
    "EMFILE": "同时打开的文件过多",
    "ENFILE": "同时打开的文件过多",
    "EAGAIN": "资源暂时不可用",
    "EXDEV": "不能跨磁盘移动文件",
}


def os_reason(exc: BaseException) -> str:
    """A short Chinese reason for an OSError (permission, missing, loop, …), never English strerror."""
    import errno

    code = getattr(exc, "errno", None)
    name = errno.errorcode.get(code, "") if isinstance(code, int) else ""
    if name in _OS_REASONS:
        return _OS_REASONS[name]
    if isinstance(exc, PermissionError):
        return _OS_REASONS["EACCES"]
    if isinstance(exc, FileNotFoundError):
        return _OS_REASONS["ENOENT"]
    if isinstance(exc, TimeoutError):
        return _OS_REASONS["ETIMEDOUT"]
    if isinstance(exc, ConnectionError):
        return "网络连接出错"
    return f"系统错误{f'（{name}）' if name else ''}"


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
