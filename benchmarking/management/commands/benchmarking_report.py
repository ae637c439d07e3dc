"""manage.py benchmarking_report: an area report or a comune scorecard as PDF."""

from benchmarking.reports.services import ReportCommand as Command  # noqa: F401
