"""The standards' pages (mounted by servicecharters/urls.py, namespace `servicecharters`)."""

from django.urls import path

from servicecharters.standards import views

VERSION = "<uuid:public_id>/versioni/<int:number>/"

urlpatterns = [
    path(f"{VERSION}standard/nuovo/", views.standard_add, name="standard_add"),
    path(f"{VERSION}standard/<uuid:standard_id>/", views.standard_edit, name="standard_edit"),
    path(f"{VERSION}standard/<uuid:standard_id>/elimina/", views.standard_delete, name="standard_delete"),
    path(f"{VERSION}proposta/", views.propose, name="propose"),
]
