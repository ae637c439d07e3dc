"""Benchmarking's jobs, found by the worker at start (qclub/jobs.py): each
sub-package keeps its own, imported here."""

from benchmarking.collection import notifications, reminders
from benchmarking.comparisons import jobs as comparisons
from benchmarking.reports import jobs as reports

__all__ = ["comparisons", "notifications", "reminders", "reports"]
