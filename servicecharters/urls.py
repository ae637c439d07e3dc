from django.urls import include, path

from servicecharters import views

app_name = "servicecharters"
urlpatterns = [
    path("", views.index, name="index"),
    # chcmp: the members' comparison across comuni.
    path("", include("servicecharters.comparisons.urls")),
]

# --- chmon: standards (forms, target proposal) and yearly monitoring ---------------
from servicecharters.monitoring.urls import urlpatterns as monitoring_urls  # noqa: E402
from servicecharters.standards.urls import urlpatterns as standards_urls  # noqa: E402

urlpatterns += [*standards_urls, *monitoring_urls]
# --- end chmon ---
