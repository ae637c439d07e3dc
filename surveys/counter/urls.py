"""URLs at the counter, inside `/indagini/`: `<uuid>/inserimento/` (paper and
interview entry, kiosks), `<uuid>/importa/` (answer files), `postazione/` (the
tablet's page)."""

from django.urls import path

from surveys.counter import views

urlpatterns = [
    path("<uuid:survey_id>/inserimento/", views.entry_page, name="counter_entry"),
    path("<uuid:survey_id>/inserimento/postazioni/", views.kiosks, name="counter_kiosks"),
    path(
        "<uuid:survey_id>/inserimento/postazioni/<uuid:device_id>/revoca/",
        views.kiosk_revoke,
        name="counter_kiosk_revoke",
    ),
    path("<uuid:survey_id>/importa/", views.import_upload, name="counter_import"),
    path("<uuid:survey_id>/importa/<uuid:pending_id>/", views.import_review, name="counter_import_review"),
    path("postazione/", views.kiosk_page, name="kiosk"),
    path("postazione/grazie/", views.kiosk_thanks, name="kiosk_thanks"),
]
