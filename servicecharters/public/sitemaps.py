"""The service charters' public pages for search engines (the core's
/sitemap.xml, through `ServiceChartersHooks.sitemaps`): each comune's list of
charters and each charter in force. Published material only, read in the
public scope with no comune active."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from servicecharters.public import selectors

# A sitemap file holds at most 50,000 addresses; Django splits it in pages of `limit`.
LIMIT = 5000


def _charters():
    with selectors.public_read("sitemap: carte dei servizi pubblicate"):
        return selectors.sitemap_charters()


class ListsSitemap(Sitemap):
    changefreq = "monthly"
    limit = LIMIT

    def items(self):
        return sorted({slug for slug, _code, _at in _charters()})

    def location(self, slug):
        return reverse("charters_public:list", args=[slug])


class ChartersSitemap(Sitemap):
    changefreq = "monthly"
    limit = LIMIT

    def items(self):
        return _charters()

    def location(self, item):
        slug, code, _published = item
        return reverse("charters_public:charter", args=[slug, code])

    def lastmod(self, item):
        return item[2]
