"""The monitoring pages (mounted by servicecharters/urls.py, namespace `servicecharters`)."""

from django.urls import path

from servicecharters.monitoring import views

urlpatterns = [
    path("<uuid:public_id>/monitoraggio/", views.monitoring_list, name="monitoring_list"),
    path("<uuid:public_id>/monitoraggio/calcola/", views.monitoring_compute, name="monitoring_compute"),
    path("<uuid:public_id>/monitoraggio/<int:year>/", views.monitoring, name="monitoring"),
    path("<uuid:public_id>/monitoraggio/<int:year>/pubblica/", views.monitoring_publish, name="monitoring_publish"),
    path(
        "<uuid:public_id>/monitoraggio/<int:year>/valori/<uuid:result_id>/", views.monitoring_enter,
        name="monitoring_enter",
    ),
]
