"""The surveys module's API, mounted at /api/v1/indagini/ by qclub/api_urls.py."""

from django.urls import path

from surveys.comparisons import api as comparisons_api
from surveys.public import api as public_api

urlpatterns = [
    # sv-public: published results for everyone, comparisons and closed results for members.
    path("risultati/", public_api.PublishedListView.as_view(), name="api-surveys-public-list"),
    path("risultati/<slug:slug>/<str:public_id>/", public_api.PublishedResultsView.as_view(),
         name="api-surveys-public-results"),
    path("confronti/<int:version_id>/<int:year>/", comparisons_api.ComparisonView.as_view(),
         name="api-surveys-comparison"),
    path("confronti/indagini/<slug:slug>/<str:public_id>/", comparisons_api.MembersResultsView.as_view(),
         name="api-surveys-members-results"),
]
