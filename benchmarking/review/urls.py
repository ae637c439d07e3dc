"""The coordinators' review under /benchmarking/<campaign>/revisione/ (namespace "benchmarking")."""

from django.urls import path

from benchmarking.review import views

urlpatterns = [
    path("<uuid:public_id>/revisione/", views.board, name="board"),
    path("<uuid:public_id>/revisione/<slug:slug>/", views.review, name="review"),
]
