from django.urls import path

from surveys.results import views

# Mounted by surveys/urls.py under /indagini/<uuid:survey_id>/risultati/.
urlpatterns = [
    path("", views.results_page, name="results"),
    path("calcola/", views.compute, name="results-compute"),
    path("lavoro/<int:job_id>/", views.job, name="results-job"),
    path("popolazione/", views.population, name="results-population"),
    path("commenti/", views.moderation, name="results-moderation"),
    path("commenti/<uuid:answer_id>/", views.moderate, name="results-moderate"),
    path("esporta.<str:fmt>", views.export, name="results-export"),
]
