"""`govxl disclosure`: the three tables of the 政府信息公开工作年度报告 (国办公开办函〔2021〕30号).

Built from the office's registers (主动公开 / 依申请公开 / 复议诉讼, recognised by their headers),
checked cell by cell, and written as .xlsx (laid out like the official tables) and .docx (the six
section headings of the report body as a skeleton, with the tables). `check_table_file` runs the
same checks on a table somebody else filled.

Public API (the CLI calls only these):
    build_disclosure(year, paths, *, config, previous=None) -> dict
    write_disclosure(result, out_dir) -> list[Path]
    check_table_file(path, previous=None) -> dict
    disclosure_exit_code(result) -> int
    read_settings(path) -> dict

设置 keys read from govxl.xlsx: 机关名称; 上年现行有效规章件数; 上年现行有效行政规范性文件件数
(or 上年现行有效规范性文件件数).
"""
from .build import build_disclosure, check_table_file, disclosure_exit_code, read_settings
from .write import write_disclosure

__all__ = ["build_disclosure", "write_disclosure", "check_table_file", "disclosure_exit_code", "read_settings"]
