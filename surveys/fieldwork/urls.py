"""A comune's surveys, under /indagini/ (namespace "surveys")."""

from django.urls import path

from surveys.fieldwork import views

urlpatterns = [
    path("", views.survey_list, name="index"),
    path("nuova/", views.survey_create, name="survey_create"),
    path("campione/", views.sample_proposal, name="sample_proposal"),
    path("<uuid:public_id>/", views.survey_detail, name="survey"),
    path("<uuid:public_id>/modifica/", views.survey_edit, name="survey_edit"),
    path("<uuid:public_id>/stato/<slug:action>/", views.survey_status, name="survey_status"),
    path("<uuid:public_id>/domande/nuova/", views.local_question_add, name="local_question_add"),
    path("<uuid:public_id>/domande/<slug:code>/", views.local_question_edit, name="local_question_edit"),
    path("<uuid:public_id>/domande/<slug:code>/sposta/", views.local_question_move, name="local_question_move"),
    path("<uuid:public_id>/domande/<slug:code>/togli/", views.local_question_delete, name="local_question_delete"),
]
