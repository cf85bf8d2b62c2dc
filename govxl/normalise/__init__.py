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
`headers` finds the header row and maps columns by the synonyms of `govxl.defaults`; `dates`, `text`,
`rules` and `units` say what a cell means, `judges` maps them over a column's distinct values, `skips`
finds the rows that are not data, `sheet` reads a sheet a column at a time into a file's `part`;
`registers` reads the files (with `cache`: out/.cache and worker processes), `whole` joins the parts,
matches the 采用登记 and marks 首报; `suspects` finds near-duplicate titles,
`crossdups` those of different units within a window of days, both by the search of `similar`.
"""
