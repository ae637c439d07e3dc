"""The API's pagination: DRF's limit/offset, with bounds.

DRF's own class takes any `?offset=` (beyond PostgreSQL's bigint it was a
server error) and silently falls back to the default on a bad `?limit=`.
Here a limit or offset that is not a whole number in range is a 400 that
says so, and a page holds at most MAX_LIMIT rows.
"""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 500
MAX_OFFSET = 10_000_000


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_limit(self, request):
        raw = request.query_params.get(self.limit_query_param)
        if raw is None or raw == "":
            return self.default_limit
        return _bounded(raw, self.limit_query_param, low=1, high=self.max_limit)

    def get_offset(self, request):
        raw = request.query_params.get(self.offset_query_param)
        if raw is None or raw == "":
            return 0
        return _bounded(raw, self.offset_query_param, low=0, high=MAX_OFFSET)


def _bounded(raw: str, name: str, *, low: int, high: int) -> int:
    text = raw.strip()
    # ASCII digits only, and short: int() would also take "٣" or a 5,000-digit string.
    if not (text.isascii() and text.isdigit() and len(text) <= 12) or not low <= int(text) <= high:
        raise serializers.ValidationError({name: [
            _("Scrivi un numero intero tra %(low)s e %(high)s.") % {
                "low": low, "high": f"{high:,}".replace(",", "."),
            }
        ]})
    return int(text)
