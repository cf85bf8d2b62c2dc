"""Read: files → grids.

In: paths under workbooks/ (and govxl.xlsx). Out: `reader.Grid`s, one per sheet (cells as Python values,
merged ranges, hidden flag, formula cells without a saved value), or `InputUnreadable` naming the file.
`inspect` checks a file before any library parses it (real format, encryption, zip and entity bombs,
padded sheets, duplicate sheet names), with `cfb` (.xls and other OLE files), `xlsx` (the zip and its
parts), `sheetscan` (one sheet's XML), `zipio` (members in and out) and `limits`; `reader` lists folders
safely (only regular files, loops and dangling links named) and reads xlsx/xls via python-calamine, CSV
in UTF-8/UTF-16/GB18030. Nothing here
knows what a register is.
"""
