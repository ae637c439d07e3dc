"""The citizens' pages of the surveys: the index of comuni that published
survey results, a published survey's results, and its PDF report. Anonymous;
every read in the public scope with no comune active (`selectors.public_read`),
so a draft, open or closed survey answers 404 to everyone, its own officers too."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from surveys.public import charts, reports, selectors

PAGE_SIZE = 30
MAX_SEARCH = 100


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:MAX_SEARCH]
    with selectors.public_read("indagini pubblicate: elenco dei comuni"):
        page = Paginator(selectors.publishing_comuni_query(search), PAGE_SIZE).get_page(request.GET.get("pagina"))
        lines = selectors.publishing_lines(list(page.object_list))
    return render(request, "surveys/public/index.html", {
        "page": page, "lines": lines, "search": search, "nav_section": "surveys-public",
    })


@require_GET
def results(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    with selectors.public_read(f"indagine pubblicata {slug}/{public_id}"[:200]):
        survey = selectors.published_get(slug, public_id)
        data = selectors.results_of(survey)
    chart, chart_text = charts.items_chart(data.items)
    return render(request, "surveys/public/results.html", {
        "survey": survey, "municipality": survey.municipality, "data": data, "key": data.key,
        "chart": chart, "chart_text": chart_text, "nav_section": "surveys-public",
    })


@require_GET
def report(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    with selectors.public_read(f"indagine pubblicata, PDF {slug}/{public_id}"[:200]):
        survey = selectors.published_get(slug, public_id)
        pdf = reports.survey_pdf(survey)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"indagine-{survey.municipality.slug}-{survey.year}-{str(survey.public_id)[:8]}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
