from django.urls import include, path

from servicecharters import views

app_name = "servicecharters"
urlpatterns = [
    path("", views.index, name="index"),
    # chcmp: the members' comparison across comuni.
    path("", include("servicecharters.comparisons.urls")),
]
