"""The club's model charters (namespace "servicecharters", under /carte-dei-servizi/modelli/)."""

from django.urls import path

from servicecharters.catalogue import views

urlpatterns = [
    path("modelli/", views.models, name="models"),
    path("modelli/<int:pk>/", views.model, name="model"),
    path("modelli/<int:pk>/modifica/", views.model_edit, name="model_edit"),
    path("modelli/<int:pk>/standard/nuovo/", views.model_standard, name="model_standard_add"),
    path("modelli/<int:pk>/standard/<int:standard_pk>/", views.model_standard, name="model_standard_edit"),
]
