"""The project's urls with the members area and its API where they will be
mounted: /benchmarking/confronti/ inside the "benchmarking" namespace, and
/api/v1/confronti/."""

from django.urls import include, path

from benchmarking import urls as benchmarking_urls
from qclub.urls import urlpatterns as project_urlpatterns

benchmarking_patterns = [*benchmarking_urls.urlpatterns, path("confronti/", include("benchmarking.comparisons.urls"))]

urlpatterns = [
    # First, so that the "benchmarking" namespace resolves to these patterns.
    path("benchmarking/", include((benchmarking_patterns, "benchmarking"))),
    *project_urlpatterns,
    path("api/v1/confronti/", include("benchmarking.comparisons.api_urls")),
]
