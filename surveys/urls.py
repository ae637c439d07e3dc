from django.urls import include, path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
]

# sv-public: the members area's comparisons and the citizens' results pages.
urlpatterns += [
    path("confronti/", include("surveys.comparisons.urls")),
    path("risultati/", include("surveys.public.urls")),
]
