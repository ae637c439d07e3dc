from django.urls import path

from surveys.collection import api as collection_api
from surveys.fieldwork import api as fieldwork_api
from surveys.questionnaires import api as questionnaires_api

# Mounted at /api/v1/indagini/.
urlpatterns = [
    path("questionari/", questionnaires_api.QuestionnaireListView.as_view(), name="api-surveys-questionnaires"),
    path(
        "questionari/<slug:code>/versioni/<int:number>/",
        questionnaires_api.VersionDetailView.as_view(),
        name="api-surveys-questionnaire-version",
    ),
    path("", fieldwork_api.SurveyListView.as_view(), name="api-surveys"),
    path("<uuid:public_id>/", fieldwork_api.SurveyDetailView.as_view(), name="api-surveys-survey"),
    path("<uuid:public_id>/risposte/", collection_api.AnswerView.as_view(), name="api-surveys-answer"),
]
