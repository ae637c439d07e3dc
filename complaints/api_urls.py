from django.urls import path

from complaints import api

# Mounted at /api/v1/reclami/.
urlpatterns = [
    path("", api.ComplaintListView.as_view(), name="api-complaints"),
    path("pubblico/<slug:slug>/", api.PublicIntakeView.as_view(), name="api-complaints-intake"),
    path("<uuid:public_id>/", api.ComplaintDetailView.as_view(), name="api-complaint"),
    path("<uuid:public_id>/azioni/", api.ComplaintActionView.as_view(), name="api-complaint-actions"),
]
