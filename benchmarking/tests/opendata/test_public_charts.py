"""What citizens read beside the figures: a chart drawn on the server from the
statistics the table shows (with its text alternative), which value is
better, and the trend over the published periods only."""

import re

from django.urls import reverse

from benchmarking.opendata import services as opendata

DATASET_2025 = reverse("opendata:dataset", args=["servizi-demografici", "2025"])


def svg_titles(html: str) -> list[str]:
    return re.findall(r"<svg[^>]*role=\"img\"[^>]*><title>([^<]*)</title>", html)


def test_dataset_page_draws_each_ranking_with_its_text_alternative_and_direction(client, published):
    html = client.get(DATASET_2025).content.decode()
    titles = svg_titles(html)
    assert titles and all(title.startswith("Grafico a barre dei valori di") for title in titles)
    # The figure's caption repeats the alternative, and the chart is no script.
    assert titles[0] in html.split("</svg>", 1)[1]
    assert "plotly" not in html
    assert "meglio" in html  # "Più alto è meglio" / "Più basso è meglio"
    assert "5555" not in html and "6666" not in html


def test_dataset_trend_lists_published_periods_only(client, published, club):
    opendata.publish_open_data(published["club_only"], club.coordinator)  # 2024 now public
    html = client.get(DATASET_2025).content.decode()
    assert "Andamento nel tempo" in html
    assert reverse("opendata:dataset", args=["servizi-demografici", "2024"]) in html
    # 2023 is published under an embargo that has not ended: not in the trend.
    assert reverse("opendata:dataset", args=["servizi-demografici", "2023"]) not in html


def test_dataset_with_one_published_period_has_no_trend_table(client, published):
    assert "Andamento nel tempo" not in client.get(DATASET_2025).content.decode()


def test_comune_page_shows_median_direction_and_its_figures_over_time(client, published, club):
    opendata.publish_open_data(published["club_only"], club.coordinator)
    html = client.get(reverse("municipality_public", args=[club[0].slug])).content.decode()
    assert "Mediana dei comuni" in html and "meglio" in html
    assert "2024: " in html and "2025: " in html
    assert "2023: " not in html  # still under embargo
    assert "<svg" in html  # the sparkline, its figures written beside it
