"""Public open-data pages under /dati-aperti/ (namespace "opendata")."""

from django.urls import path

from benchmarking.opendata import views as opendata_views

app_name = "opendata"
urlpatterns = [
    path("", opendata_views.index, name="index"),
    path("catalogo.jsonld", opendata_views.catalogue, name="catalogue"),
    path("<slug:area_code>/<str:period_code>/", opendata_views.dataset, name="dataset"),
    path("<slug:area_code>/<str:period_code>/dati.csv", opendata_views.dataset_csv, name="csv"),
    path("<slug:area_code>/<str:period_code>/dati.json", opendata_views.dataset_json, name="json"),
]
