"""The reserved members area, mounted at /benchmarking/confronti/ (namespace "benchmarking")."""

from django.urls import path

from benchmarking.comparisons import views

urlpatterns = [
    path("", views.members, name="members"),
    path("indicatori/<str:code>/", views.ranking, name="ranking"),
    path("indicatori/<str:code>/andamento/", views.trend, name="trend"),
    path("indicatori/<str:code>/buona-pratica/", views.best_practice_add, name="best_practice_add"),
    path("buone-pratiche/<uuid:public_id>/allegato/", views.best_practice_file, name="best_practice_file"),
    path("scheda/", views.scorecard, name="scorecard"),
    path("gruppi/", views.peer_groups, name="peer_groups"),
    path("gruppi/nuovo/", views.peer_group_edit, name="peer_group_add"),
    path("gruppi/<int:pk>/", views.peer_group_edit, name="peer_group_edit"),
    path("contesto/", views.context, name="context"),
]
