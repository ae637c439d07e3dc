from django.urls import path

from benchmarking.catalogue import api as catalogue_api
from benchmarking.collection import api
from benchmarking.review import api as review_api

# Mounted at /api/v1/benchmarking/.
urlpatterns = [
    path("catalogo/dati/", catalogue_api.DataElementListView.as_view(), name="api-benchmarking-elements"),
    path("catalogo/indicatori/", catalogue_api.IndicatorListView.as_view(), name="api-benchmarking-indicators"),
    path("campagne/", catalogue_api.CampaignListView.as_view(), name="api-benchmarking-campaigns"),
    path("campagne/<uuid:public_id>/", catalogue_api.CampaignDetailView.as_view(), name="api-benchmarking-campaign"),
    path("campagne/<uuid:public_id>/valori/", api.ValuesView.as_view(), name="api-benchmarking-values"),
    path("campagne/<uuid:public_id>/azioni/", api.SubmissionActionView.as_view(), name="api-benchmarking-actions"),
    path("campagne/<uuid:public_id>/schede/", review_api.ReviewSubmissionListView.as_view(), name="api-benchmarking-submissions"),
]
