"""The club's questionnaires, under /indagini/questionari/ (namespace "surveys")."""

from django.urls import path

from surveys.questionnaires import views

urlpatterns = [
    path("", views.questionnaire_list, name="questionnaires"),
    path("<slug:code>/", views.questionnaire_detail, name="questionnaire"),
    path("<slug:code>/nuova-versione/", views.version_new, name="questionnaire_version_new"),
    path("<slug:code>/versioni/<int:number>/", views.version_detail, name="questionnaire_version"),
    path("<slug:code>/versioni/<int:number>/attiva/", views.version_activate, name="questionnaire_activate"),
    path(
        "<slug:code>/versioni/<int:number>/domande/<slug:question_code>/",
        views.question_edit,
        name="questionnaire_question",
    ),
]
