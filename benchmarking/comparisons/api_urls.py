"""Members-area API, mounted at /api/v1/confronti/."""

from django.urls import path

from benchmarking.comparisons import api

urlpatterns = [
    path("indicatori/<str:code>/classifica/", api.RankingView.as_view(), name="api_members_ranking"),
    path("indicatori/<str:code>/sintesi/", api.SummaryView.as_view(), name="api_members_summary"),
    path("indicatori/<str:code>/andamento/", api.TrendView.as_view(), name="api_members_trend"),
    path("scheda/", api.ScorecardView.as_view(), name="api_members_scorecard"),
]
