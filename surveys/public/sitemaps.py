"""The surveys' public pages for search engines (the core's /sitemap.xml,
through `SurveysHooks.sitemaps`): the index of comuni with published surveys,
each such comune's public page and each published survey's results page.
Published material only, read in the public scope."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from surveys.public import selectors

# A sitemap file holds at most 50,000 addresses; Django splits it in pages of `limit`.
LIMIT = 5000


class IndexSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["surveys:public_index"]

    def location(self, item):
        return reverse(item)


class ComuniSitemap(Sitemap):
    changefreq = "monthly"
    limit = LIMIT

    def items(self):
        with selectors.public_read("sitemap: comuni con indagini pubblicate"):
            return [item.municipality.slug for item in selectors.publishing_comuni()]

    def location(self, slug):
        return reverse("municipality_public", args=[slug])


class SurveysSitemap(Sitemap):
    changefreq = "yearly"
    limit = LIMIT

    def items(self):
        with selectors.public_read("sitemap: indagini pubblicate"):
            return selectors.sitemap_surveys()

    def location(self, item):
        slug, public_id, _changed = item
        return reverse("surveys:public_results", args=[slug, public_id])

    def lastmod(self, item):
        return item[2]
