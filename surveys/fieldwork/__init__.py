"""A comune's surveys in the field: their status machine, and the one rule that
checks and records a filled-in questionnaire for every way answers arrive
(online form, kiosk, paper entry, counter interview, file import, API)."""
