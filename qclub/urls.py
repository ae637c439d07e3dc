from django.contrib import admin
from django.urls import include, path

from qclub import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("comune/attivo/", views.switch_municipality, name="switch_municipality"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("benchmarking/", include("benchmarking.urls")),
    path("indagini/", include("surveys.urls")),
    path("reclami/", include("complaints.urls")),
    path("carte-dei-servizi/", include("servicecharters.urls")),
    path("dati-aperti/", include(("benchmarking.opendata.urls", "opendata"))),
    path("api/", include("qclub.api_urls")),
]

# Uploaded files are never served as public media: each has a view that checks
# who asks (best-practice attachments, report PDFs).
