"""The surveys module's API, mounted at /api/v1/indagini/ by qclub/api_urls.py."""

from django.urls import path

from surveys.collection import api as collection_api
from surveys.comparisons import api as comparisons_api
from surveys.fieldwork import api as fieldwork_api
from surveys.public import api as public_api
from surveys.questionnaires import api as questionnaires_api

urlpatterns = [
    path("questionari/", questionnaires_api.QuestionnaireListView.as_view(), name="api-surveys-questionnaires"),
    path(
        "questionari/<slug:code>/versioni/<int:number>/",
        questionnaires_api.VersionDetailView.as_view(),
        name="api-surveys-questionnaire-version",
    ),
    # Published results for everyone, comparisons and closed results for members.
    path("risultati/", public_api.PublishedListView.as_view(), name="api-surveys-public-list"),
    path("risultati/<slug:slug>/<str:public_id>/", public_api.PublishedResultsView.as_view(),
         name="api-surveys-public-results"),
    path("confronti/<int:version_id>/<int:year>/", comparisons_api.ComparisonView.as_view(),
         name="api-surveys-comparison"),
    path("confronti/indagini/<slug:slug>/<str:public_id>/", comparisons_api.MembersResultsView.as_view(),
         name="api-surveys-members-results"),
    path("", fieldwork_api.SurveyListView.as_view(), name="api-surveys"),
    path("<uuid:public_id>/", fieldwork_api.SurveyDetailView.as_view(), name="api-surveys-survey"),
    path("<uuid:public_id>/risposte/", collection_api.AnswerView.as_view(), name="api-surveys-answer"),
]
