from django.urls import path

from surveys.collection import api as collection_api

# Mounted at /api/v1/indagini/.
urlpatterns = [
    path("<uuid:public_id>/risposte/", collection_api.AnswerView.as_view(), name="api-surveys-answer"),
]
