from django.urls import path

from surveys import views
from surveys.counter.urls import urlpatterns as counter_urls

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    *counter_urls,
]
