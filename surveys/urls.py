from django.urls import include, path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:survey_id>/risultati/", include("surveys.results.urls")),
]
