from django.urls import include, path

app_name = "surveys"
urlpatterns = [
    path("questionari/", include("surveys.questionnaires.urls")),
    path("", include("surveys.fieldwork.urls")),
]
