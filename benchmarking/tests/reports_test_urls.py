"""The project's urls with the reports, open-data pages and open-data API
mounted where the lead will wire them."""

from django.urls import include, path

from benchmarking import urls as benchmarking_urls
from qclub.urls import urlpatterns as project_urlpatterns

benchmarking_patterns = [
    path("rapporti/", include("benchmarking.reports.urls")),
    *benchmarking_urls.urlpatterns,
]

urlpatterns = [
    *(p for p in project_urlpatterns if str(p.pattern) != "benchmarking/"),
    path("benchmarking/", include((benchmarking_patterns, "benchmarking"))),
    path("dati-aperti/", include(("benchmarking.opendata.urls", "opendata"))),
    path("api/v1/open-data/", include("benchmarking.opendata.api")),
]
