"""The staff's charter pages (namespace "servicecharters", under /carte-dei-servizi/)."""

from django.urls import path

from servicecharters.charters import views

urlpatterns = [
    path("", views.index, name="index"),
    path("nuova/", views.create, name="create"),
    path("nuova/modelli/", views.template_options, name="template_options"),
    path("anteprima/", views.preview, name="preview"),
    path("<uuid:public_id>/", views.charter, name="charter"),
    path("<uuid:public_id>/storia/", views.history, name="history"),
    path("<uuid:public_id>/versioni/<int:number>/", views.version, name="version"),
    path("<uuid:public_id>/versioni/<int:number>/modifica/", views.version_edit, name="version_edit"),
    path("<uuid:public_id>/versioni/<int:number>/passo/<slug:step>/", views.version_step, name="version_step"),
]
