"""A comune's data collection under /benchmarking/ (namespace "benchmarking"): the
rounds, data entry, file import, submission and visibility of results."""

from django.urls import path

from benchmarking.collection import views

urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:public_id>/", views.submission, name="submission"),
    path("<uuid:public_id>/anteprima/", views.preview, name="preview"),
    path("<uuid:public_id>/invia/", views.act, name="act"),
    path("<uuid:public_id>/visibilita/", views.visibility, name="visibility"),
    path("<uuid:public_id>/valori/<str:code>/storia/", views.value_history, name="value_history"),
    path("<uuid:public_id>/modello.csv", views.template_csv, name="template_csv"),
    path("<uuid:public_id>/modello.xlsx", views.template_xlsx, name="template_xlsx"),
    path("<uuid:public_id>/importa/", views.import_upload, name="import"),
    path("<uuid:public_id>/importa/<uuid:import_id>/", views.import_review, name="import_review"),
]
