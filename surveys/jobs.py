"""The surveys module's jobs (the worker imports `<app>.jobs`): each
sub-package's jobs module is imported here."""

from surveys.collection import jobs as collection_jobs  # noqa: F401 - invitations
