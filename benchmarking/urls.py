from django.urls import include, path

from benchmarking import views

app_name = "benchmarking"
urlpatterns = [
    path("", views.index, name="index"),
    # The coordinators' catalogue pages and the file import live in modules of their own.
    path("catalogo/", include("benchmarking.catalogue_urls")),
    path("", include("benchmarking.import_urls")),
    path("confronti/", include("benchmarking.members_urls")),
    path("rapporti/", include("benchmarking.report_urls")),
    path("<uuid:public_id>/", views.submission, name="submission"),
    path("<uuid:public_id>/anteprima/", views.preview, name="preview"),
    path("<uuid:public_id>/invia/", views.act, name="act"),
    path("<uuid:public_id>/visibilita/", views.visibility, name="visibility"),
    path("<uuid:public_id>/valori/<str:code>/storia/", views.value_history, name="value_history"),
    path("<uuid:public_id>/revisione/", views.board, name="board"),
    path("<uuid:public_id>/revisione/<slug:slug>/", views.review, name="review"),
]
