from django.urls import path

from servicecharters.public import views

# Mounted under /comuni/<slug>/carte-dei-servizi/ by qclub/urls.py (namespace
# "charters_public"); anonymous, published material only.
app_name = "charters_public"
urlpatterns = [
    path("", views.charter_list, name="list"),
    path("<slug:service>/", views.charter, name="charter"),
    path("<slug:service>/versione/<int:number>/", views.version, name="version"),
    path("<slug:service>/carta-dei-servizi.pdf", views.pdf, name="pdf"),
]
