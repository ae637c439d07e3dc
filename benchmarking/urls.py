"""Benchmarking's pages under /benchmarking/, one URLconf per sub-domain, all in the
"benchmarking" namespace."""

from django.urls import include, path

app_name = "benchmarking"
urlpatterns = [
    path("catalogo/", include("benchmarking.catalogue.urls")),
    path("confronti/", include("benchmarking.comparisons.urls")),
    path("rapporti/", include("benchmarking.reports.urls")),
    path("", include("benchmarking.review.urls")),
    path("", include("benchmarking.collection.urls")),
]
