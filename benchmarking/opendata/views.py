"""Public open-data pages (no login): published areas and periods, each with
its rankings, CSV and JSON downloads and the DCAT-AP_IT catalogue."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from benchmarking.models import Campaign
from benchmarking.opendata import selectors as opendata


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "benchmarking/opendata/index.html", {
        "campaigns": list(opendata.published_campaigns()),
        "license_url": opendata.LICENSE_URL, "license_name": opendata.LICENSE_NAME,
    })


@require_GET
def dataset(request: HttpRequest, area_code: str, period_code: str) -> HttpResponse:
    campaign = opendata.dataset_get(area_code, period_code)
    return render(request, "benchmarking/opendata/dataset.html", {
        "campaign": campaign, "tables": opendata.dataset_tables(campaign),
        "title": opendata.dataset_title(campaign), "description": opendata.dataset_description(campaign),
        "license_url": opendata.LICENSE_URL, "license_name": opendata.LICENSE_NAME,
        "csv_columns": opendata.CSV_HEADER,
    })


def _download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8") if isinstance(content, str) else content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{opendata.LICENSE_URL}>; rel="license"'
    return response


@require_GET
def dataset_csv(request: HttpRequest, area_code: str, period_code: str) -> HttpResponse:
    campaign = opendata.dataset_get(area_code, period_code)
    content = opendata.dataset_csv(campaign, opendata.dataset_tables(campaign))
    return _download(content, "text/csv; charset=utf-8", f"qclub-{campaign.area.code}-{campaign.period.code}.csv")


@require_GET
def dataset_json(request: HttpRequest, area_code: str, period_code: str) -> HttpResponse:
    campaign = opendata.dataset_get(area_code, period_code)
    content = opendata.dataset_json(campaign, opendata.dataset_tables(campaign))
    return _download(content, "application/json; charset=utf-8",
                     f"qclub-{campaign.area.code}-{campaign.period.code}.json")


def absolute_url(request: HttpRequest):
    def build(campaign: Campaign | None, kind: str) -> str:
        if campaign is None:
            return request.build_absolute_uri(reverse("opendata:catalogue"))
        name = {"page": "opendata:dataset", "csv": "opendata:csv", "json": "opendata:json"}[kind]
        return request.build_absolute_uri(reverse(name, args=[campaign.area.code, campaign.period.code]))

    return build


@require_GET
def catalogue(request: HttpRequest) -> JsonResponse:
    document = opendata.catalogue(list(opendata.published_campaigns()), absolute_url(request))
    return JsonResponse(document, content_type="application/ld+json; charset=utf-8",
                        json_dumps_params={"ensure_ascii": False, "indent": 2})
