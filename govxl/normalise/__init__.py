"""Normalise: grids → registers' tables, judged cell by cell, every row accounted for.

In: grids from govxl.read and the rules of govxl.xlsx (`config`). Out: `registers.read_registers` gives a
`registers.ReadResult` of pandas DataFrames (columns and dtypes in `frames`):
  items         seq (1..n, register order), unit, title, key (title key), submitted, kind, author,
                event_time, commission, false_report, note, joint (tuple of the other units), status
                (counted | duplicate), dup_of, file, sheet, row — one row per item, in register order
  adoptions     seq, k, level, rule, points, text, date, multiplier, origin
  instructions  seq, k, level, text, date, origin
  commissions   unit, topic, issued, deadline, done, file, sheet, row
  .tables       score.tables.Tables(items, adoptions, instructions), what scoring takes
plus problems (file, sheet, row, column, message) and the row accounting read = counted + duplicate +
error + skipped (rows_dict(), sheet_rows).
`headers` finds the header row and maps columns by the synonyms of `govxl.defaults`; `dates` and `text`
judge cells; `columns` judges whole columns at once; `registers` makes rows into items, 首报 and the
adoption register; `suspects` finds near-duplicate titles; `cache` keeps parsed files in out/.cache
and reads many files in parallel.
"""
