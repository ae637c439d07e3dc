from django.urls import path

from benchmarking import import_views

# Included by benchmarking/urls.py at the root of /benchmarking/ (namespace "benchmarking").
urlpatterns = [
    path("<uuid:public_id>/modello.csv", import_views.template_csv, name="template_csv"),
    path("<uuid:public_id>/modello.xlsx", import_views.template_xlsx, name="template_xlsx"),
    path("<uuid:public_id>/importa/", import_views.import_upload, name="import"),
]
