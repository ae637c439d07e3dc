from django.urls import path

from complaints import api
from complaints.comparisons import api as comparisons_api
from complaints.kpis import api as kpis_api
from complaints.plans import api as plans_api

# Mounted at /api/v1/reclami/.
urlpatterns = [
    path("", api.ComplaintListView.as_view(), name="api-complaints"),
    path("pubblico/<slug:slug>/", api.PublicIntakeView.as_view(), name="api-complaints-intake"),
    path("<uuid:public_id>/", api.ComplaintDetailView.as_view(), name="api-complaint"),
    path("<uuid:public_id>/azioni/", api.ComplaintActionView.as_view(), name="api-complaint-actions"),
    path("indicatori/", kpis_api.ComuneKpisView.as_view(), name="api-complaints-kpis"),
    path("confronto/", comparisons_api.ComparisonView.as_view(), name="api-complaints-comparison"),
    path("piano/", plans_api.ActionListView.as_view(), name="api-complaints-plan"),
    path("piano/<uuid:public_id>/", plans_api.ActionDetailView.as_view(), name="api-complaints-plan-action"),
]
