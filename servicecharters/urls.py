from django.urls import include, path

from servicecharters.catalogue.urls import urlpatterns as catalogue_urls
from servicecharters.charters.urls import urlpatterns as charters_urls
from servicecharters.monitoring.urls import urlpatterns as monitoring_urls
from servicecharters.standards.urls import urlpatterns as standards_urls

app_name = "servicecharters"
urlpatterns = [
    # The members' comparison across comuni.
    path("", include("servicecharters.comparisons.urls")),
    # The comune's charters and versions, the club's model charters.
    *catalogue_urls,
    *charters_urls,
    # Standards (forms, target proposal) and the yearly monitoring.
    *standards_urls,
    *monitoring_urls,
]
