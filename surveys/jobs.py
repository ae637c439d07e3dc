"""The surveys module's jobs (the worker imports `<app>.jobs`): each
sub-package's jobs module is imported here."""

from surveys.collection import jobs as collection_jobs  # noqa: F401 - invitations
from surveys.results.jobs import compute_results_job  # noqa: F401 - results of large surveys
