from django.urls import include, path

from surveys.collection import views as collection
from surveys.counter.urls import urlpatterns as counter_urls

app_name = "surveys"
urlpatterns = [
    path("questionari/", include("surveys.questionnaires.urls")),
    # Online collection (surveys/collection): the public form, invitations, QR, poster.
    path("rispondi/<uuid:public_id>/", collection.answer, name="answer"),
    path("rispondi/<uuid:public_id>/grazie/", collection.answer_thanks, name="answer_thanks"),
    path("rispondi/<str:code>/", collection.short_link, name="answer_short"),
    path("<uuid:public_id>/inviti/", collection.invitations, name="invitations"),
    path("<uuid:public_id>/inviti/qr.svg", collection.qr_code, name="qr_code"),
    path("<uuid:public_id>/inviti/locandina.pdf", collection.poster, name="poster"),
    # Kiosk, paper and counter entry, file import (surveys/counter).
    *counter_urls,
    path("", include("surveys.fieldwork.urls")),
]

# sv-public: the members area's comparisons and the citizens' results pages.
urlpatterns += [
    path("confronti/", include("surveys.comparisons.urls")),
    path("risultati/", include("surveys.public.urls")),
    path("<uuid:survey_id>/risultati/", include("surveys.results.urls")),
]
