from django.urls import path

from benchmarking import api

# Mounted at /api/v1/benchmarking/.
urlpatterns = [
    path("catalogo/dati/", api.DataElementListView.as_view(), name="api-benchmarking-elements"),
    path("catalogo/indicatori/", api.IndicatorListView.as_view(), name="api-benchmarking-indicators"),
    path("campagne/", api.CampaignListView.as_view(), name="api-benchmarking-campaigns"),
    path("campagne/<uuid:public_id>/", api.CampaignDetailView.as_view(), name="api-benchmarking-campaign"),
    path("campagne/<uuid:public_id>/valori/", api.ValuesView.as_view(), name="api-benchmarking-values"),
    path("campagne/<uuid:public_id>/azioni/", api.SubmissionActionView.as_view(), name="api-benchmarking-actions"),
    path("campagne/<uuid:public_id>/schede/", api.ReviewSubmissionListView.as_view(), name="api-benchmarking-submissions"),
]
