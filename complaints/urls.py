from django.urls import path

from complaints.handling import views
from complaints.intake import views as public
from complaints.kpis import views as kpi_views

app_name = "complaints"
urlpatterns = [
    path("", views.index, name="index"),
    path("in-ritardo/", views.overdue, name="overdue"),
    path("nuovo/", views.register, name="register"),
    path("impostazioni/", views.settings_page, name="settings"),
    path("indicatori/", kpi_views.kpis, name="kpis"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/allegati/<uuid:file_id>/", views.attachment, name="attachment"),
    path("<uuid:public_id>/dati-personali.json", views.export, name="export"),
    path("<uuid:public_id>/<slug:action>/", views.act, name="act"),
    # The citizen's pages (no sign-in).
    path("segnala/<slug:slug>/", public.public_form, name="public_form"),
    path("segui/<slug:slug>/<str:token>/", public.track, name="track"),
    path("segui/<slug:slug>/<str:token>/<slug:action>/", public.track_action, name="track_action"),
]
