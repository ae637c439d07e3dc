from django.urls import path

from servicecharters.comparisons import views

# Included by servicecharters/urls.py (namespace "servicecharters").
urlpatterns = [
    path("confronto/", views.compare, name="compare"),
]
