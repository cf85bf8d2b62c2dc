"""The clerk's working folder: `govxl init` (`folder`) and the example county's year of registers
(`sample_year` draws it, `sample` writes it, `sample_disclosure` adds the 政府信息公开 registers; the
roster is in `roster_data`)."""
