from django.contrib import admin
from django.urls import include, path

from qclub import views
from qclub.accounts import views as accounts_views

# Modules' URLconfs are mounted by dotted path (Django's `include` imports them
# at URL resolution); that is configuration, like INSTALLED_APPS, not an import
# of the module by the core (import-linter sees no import here).
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("area-riservata/", views.members_area, name="members_area"),
    path("area-riservata/servizi/", views.service_members_index, name="service_members_index"),
    path("area-riservata/servizi/<slug:code>/", views.service_members, name="service_members"),
    path("comuni/<slug:slug>/", views.municipality_public, name="municipality_public"),
    path("comuni/<slug:slug>/servizi/<slug:code>/", views.service_public, name="service_public"),
    # chpub: a comune's published service charters (list, charter, previous versions, PDF).
    path("comuni/<slug:slug>/carte-dei-servizi/", include("servicecharters.public.urls")),
    path("comune/attivo/", views.switch_municipality, name="switch_municipality"),
    path("dichiarazione-di-accessibilita/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The login page with our form (same path as Django's, found first).
    path("accounts/login/", accounts_views.login, name="login"),
    path("accounts/", include("qclub.accounts.urls")),
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
