"""Per-language date formats (settings.FORMAT_MODULE_PATH) and the catalogue
that writes Italian month and weekday names in lower case."""
