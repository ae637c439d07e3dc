"""The service charters API, mounted at /api/v1/carte-dei-servizi/ by qclub/api_urls.py."""

from django.urls import path

from servicecharters import api

urlpatterns = [
    # The comune's own charters (its staff), every version.
    path("", api.OwnCharterListView.as_view(), name="api-charters"),
    path("<uuid:public_id>/", api.OwnCharterView.as_view(), name="api-charter"),
    path("<uuid:public_id>/versioni/<int:number>/", api.OwnVersionView.as_view(), name="api-charter-version"),
    # Other member comuni's approved and published charters (members).
    path("club/", api.ClubListView.as_view(), name="api-charters-club"),
    path("club/<slug:slug>/<slug:service>/", api.ClubCharterView.as_view(), name="api-charters-club-charter"),
    # Published charters (anyone).
    path("pubblicate/", api.PublishedListView.as_view(), name="api-charters-public"),
    path("pubblicate/<slug:slug>/<slug:service>/", api.PublishedCharterView.as_view(),
         name="api-charters-public-charter"),
]
