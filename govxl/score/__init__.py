"""Score: items and rules → points, totals, ranks for a period.

In: the tables of a `normalise.registers.ReadResult` (items, adoptions, instructions: `.tables`) and its
commissions table, `normalise.config.Config`, a `periods.Period`.
Out: the score result dict of the JSON contract (units, totals, trend, assessment) plus the scored items
behind every point (kept under "_" keys for the writers). `periods` parses --month/--quarter/--half/
--year/--from/--to and says when the registers do not cover a period.
"""
