"""The surveys module's jobs, imported by the worker at start."""

from surveys.results.jobs import compute_results_job  # noqa: F401
