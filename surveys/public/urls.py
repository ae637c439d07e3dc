from django.urls import path

from surveys.public import views

# Mounted under /indagini/risultati/ by surveys/urls.py (namespace "surveys"); anonymous.
urlpatterns = [
    path("", views.index, name="public_index"),
    path("<slug:slug>/<str:public_id>/", views.results, name="public_results"),
    path("<slug:slug>/<str:public_id>/rapporto.pdf", views.report, name="public_report"),
]
