"""Public open-data pages under /dati-aperti/ (namespace "opendata")."""

from django.urls import path

from benchmarking.opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("catalogo.jsonld", views.catalogue, name="catalogue"),
    path("<slug:area_code>/<str:period_code>/", views.dataset, name="dataset"),
    path("<slug:area_code>/<str:period_code>/dati.csv", views.dataset_csv, name="csv"),
    path("<slug:area_code>/<str:period_code>/dati.json", views.dataset_json, name="json"),
]
