
from servicecharters.catalogue.urls import urlpatterns as catalogue_urls
from servicecharters.charters.urls import urlpatterns as charters_urls

app_name = "servicecharters"
urlpatterns = [
    # chstaff: the comune's charters and versions, the club's model charters.
    *catalogue_urls,
    *charters_urls,
]
