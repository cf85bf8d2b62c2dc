"""govxl — 政务信息报送积分排名工具.

Reads the departmental registers (台账), scores every reporting unit and writes ranking workbooks.
Heavy libraries (pandas, openpyxl, xlsxwriter, docx) are imported lazily by the modules that need
them, so `govxl --help` starts fast when Excel macros call it cold.
"""
__version__ = "0.1.0"
