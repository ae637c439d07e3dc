"""The club's catalogue pages, under /benchmarking/catalogo/ (namespace "benchmarking")."""

from django.urls import path

from benchmarking.catalogue import views

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("indicatori/nuovo/", views.indicator_new, name="indicator_create"),
    path("indicatori/<slug:code>/", views.indicator, name="indicator"),
    path("indicatori/<slug:code>/modifica/", views.indicator_edit, name="indicator_edit"),
    path("formula/prova/", views.formula_preview, name="formula_preview"),
    path("dati/", views.elements, name="elements"),
    path("dati/nuovo/", views.element_create, name="element_create"),
    path("dati/<slug:code>/modifica/", views.element_edit, name="element_edit"),
    path("campagne/", views.campaigns, name="campaigns"),
    path("campagne/apri/", views.campaign_open, name="campaign_open"),
    path("campagne/apri/indicatori/", views.campaign_indicators, name="campaign_open_indicators"),
    path("campagne/<uuid:public_id>/chiudi/", views.campaign_close_view, name="campaign_close"),
    path("campagne/<uuid:public_id>/riapri/", views.campaign_reopen_view, name="campaign_reopen"),
]
