"""PDF reports and open-data publication, under /benchmarking/rapporti/
(included by benchmarking/urls.py, namespace "benchmarking")."""

from django.urls import path

from benchmarking.reports import views as report_views

urlpatterns = [
    path("", report_views.index, name="reports"),
    path("scheda/", report_views.scorecard_choice, name="report_scorecard_choice"),
    path("area/<slug:area_code>/<str:period_code>/", report_views.area_report, name="report_area"),
    path("scheda/<slug:slug>/<slug:area_code>/<str:period_code>/", report_views.scorecard_report,
         name="report_scorecard"),
    path("lavori/<uuid:job>/", report_views.job, name="report_job"),
    path("lavori/<uuid:job>/stato/", report_views.job_status, name="report_job_status"),
    path("lavori/<uuid:job>/scarica/", report_views.download, name="report_download"),
    path("dati-aperti/<uuid:public_id>/", report_views.publish, name="publish"),
]
