from django.urls import path

from complaints.comparisons import views as comparisons
from complaints.handling import views
from complaints.intake import views as public
from complaints.kpis import views as kpis
from complaints.plans import views as plans

app_name = "complaints"
urlpatterns = [
    path("", views.index, name="index"),
    path("in-ritardo/", views.overdue, name="overdue"),
    path("nuovo/", public.register, name="register"),
    path("impostazioni/", views.settings_page, name="settings"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/allegati/<uuid:file_id>/", views.attachment, name="attachment"),
    path("<uuid:public_id>/dati-personali.json", views.export, name="export"),
    path("<uuid:public_id>/<slug:action>/", views.act, name="act"),
    # The citizen's pages (no sign-in).
    path("segnala/<slug:slug>/", public.public_form, name="public_form"),
    path("segui/<slug:slug>/<str:token>/", public.track, name="track"),
    path("segui/<slug:slug>/<str:token>/<slug:action>/", public.track_action, name="track_action"),
    # Improvement plan, KPIs, the yearly report (staff) and the comparison (members area).
    path("piano/", plans.plan, name="plan"),
    path("piano/nuova/", plans.new, name="plan_new"),
    path("piano/<uuid:public_id>/", plans.action, name="plan_action"),
    path("indicatori/", kpis.kpis, name="kpis"),
    path("indicatori/aggiorna/", kpis.refresh, name="kpis_refresh"),
    path("indicatori/relazione/", kpis.publish, name="kpis_publish"),
    path("confronto/", comparisons.compare, name="compare"),
]
