"""The site's URLs plus views that fail in each way, for tests/test_error_pages.py."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import include, path


def not_found(request):
    raise Http404("no such page")


def denied(request):
    raise PermissionDenied


def bad(request):
    raise SuspiciousOperation("a malformed request")


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("prova/404/", not_found),
    path("prova/403/", denied),
    path("prova/400/", bad),
    path("prova/500/", broken),
    path("", include("qclub.urls")),
]
