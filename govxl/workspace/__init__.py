"""The clerk's working folder: `govxl init` (`folder`) and the example county's year of registers
(`sample`, `sample_disclosure`, with the roster in `roster_data`)."""
