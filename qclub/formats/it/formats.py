"""Italian date formats (FORMAT_MODULE_PATH): the day without a leading zero
and no weekday, as an Italian office writes a date ("31 marzo 2026"). Month
names are lower case through qclub/i18n/locale (Django's catalogue
capitalises them)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
