from django.urls import include, path

from benchmarking import views

app_name = "benchmarking"
urlpatterns = [
    path("", views.index, name="index"),
    # The coordinators' catalogue pages and the file import live in modules of their own.
    path("catalogo/", include("benchmarking.catalogue_urls")),
    path("", include("benchmarking.import_urls")),
]
