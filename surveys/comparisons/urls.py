from django.urls import path

from surveys.comparisons import views

# Mounted under /indagini/confronti/ by surveys/urls.py (namespace "surveys").
urlpatterns = [
    path("", views.index, name="comparisons"),
    path("<int:version_id>/<int:year>/", views.comparison, name="comparison"),
]
