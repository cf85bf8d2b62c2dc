"""What a spreadsheet file may be before govxl reads it: the magic bytes of its container, the size and
cell limits the checks hold it to, column letters for naming a range, and the messages refusing one."""
from __future__ import annotations

from ..errors import InputUnreadable

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
DEFAULT_SIZE_LIMIT = 200 * 1024 * 1024
# calamine materialises the bounding box of a sheet's cells; keep it to what a register can be
MAX_SHEET_CELLS = 5_000_000


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def col_letters(index: int) -> str:
    s, n = "", index + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def corrupt(shown: str) -> InputUnreadable:
    return InputUnreadable(f"文件 {shown} 已损坏（压缩结构不完整，可能未完整复制或下载），无法读取；"
                           f"请重新获取该文件", path=shown)


def too_big(shown: str, limit: int) -> InputUnreadable:
    mb = max(1, limit // (1024 * 1024))
    return InputUnreadable(
        f"文件 {shown} 解压后超过 {mb} MB 上限（可能是压缩炸弹或异常文件），已拒绝读取；"
        f"如确需读取，请在 govxl.xlsx 的“设置”中调大“文件大小上限（MB）”",
        path=shown,
    )


def sheet_too_large(shown: str, sheet: str, rows: int, cols: int) -> InputUnreadable:
    """A sheet whose content spans more than MAX_SHEET_CELLS (rows × cols, 1-based extents)."""
    return InputUnreadable(
        f"文件 {shown} 的工作表“{sheet}”内容范围过大（A1:{col_letters(max(cols, 1) - 1)}{rows}，"
        f"共 {rows} 行 × {cols} 列），不像登记表，已拒绝读取；请删除表格下方或右侧多余的内容后再试",
        path=shown)
