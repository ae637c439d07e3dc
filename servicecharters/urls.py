from django.urls import path

from servicecharters import views

app_name = "servicecharters"
urlpatterns = [
    path("", views.index, name="index"),
]
