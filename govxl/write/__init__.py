"""Write: a score result → the files a clerk uses.

In: the score result dict (the scored tables under its "_" keys) and the ReadResult (its sheets' row
accounting). Out: the ranking workbook
(`rankbook`: its sheets in `ranksheet`, `listsheets`, `checksheets` on `layout`'s formats, every cell
through `cells` — xlsxwriter's public API — and the long lists' rows after the first streamed into the
closed file by `xlsxstream`), the notice .docx/.md (`notice`), mail (`mailer`, with `mailparts`), each unit's 采用反馈
workbook (`feedback`), reminders (`remind`).
`safeio` makes every write atomic, refuses to overwrite a file open in Excel/WPS, keeps names safe and
serialises runs sharing an out/ folder. Nothing here reads a register.
"""
