"""Normalise: grids → registers' records, judged cell by cell, every row accounted for.

In: grids from govxl.read and the rules of govxl.xlsx (`config`). Out: `registers.ReadResult` — items
(one per submission), adoptions and instructions attached, commissions, problems (file, sheet, row,
column, message) and the row accounting read = counted + duplicate + error + skipped.
`headers` finds the header row and maps columns by the synonyms of `govxl.defaults`; `dates` and `text`
judge cells; `columns` judges whole columns at once; `registers` makes rows into items, 首报 and the
adoption register; `suspects` finds near-duplicate titles; `cache` keeps parsed files in out/.cache
and reads many files in parallel.
"""
