from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from qclub import api
from qclub.accounts import api as accounts_api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("v1/token/", accounts_api.TokenView.as_view(), name="api-token"),
    path("v1/token/logout/", accounts_api.TokenLogoutView.as_view(), name="api-token-logout"),
    path("v1/tokens/", accounts_api.TokenListView.as_view(), name="api-token-list"),
    path("v1/tokens/<str:key>/", accounts_api.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("v1/me/", api.MeView.as_view(), name="api-me"),
    path("v1/comuni/", api.MunicipalityListView.as_view(), name="api-municipality-list"),
    path("v1/comuni/<slug:slug>/", api.MunicipalityDetailView.as_view(), name="api-municipality-detail"),
    path("v1/benchmarking/", include("benchmarking.api_urls")),
    path("v1/confronti/", include("benchmarking.comparisons.api_urls")),
    path("v1/open-data/", include("benchmarking.opendata.api")),
    path("v1/indagini/", include("surveys.api_urls")),
    path("v1/reclami/", include("complaints.api_urls")),
    path("v1/carte-dei-servizi/", include("servicecharters.api_urls")),
]
