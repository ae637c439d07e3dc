"""The project's urls plus the benchmarking API where it will be mounted."""

from django.urls import include, path

from qclub.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("api/v1/benchmarking/", include("benchmarking.api_urls")),
]
