"""A charter's rich text: Markdown (CommonMark, raw HTML off) rendered by
markdown-it-py, then cleaned by nh3 (the Rust `ammonia` allow-list
sanitiser) so that nothing a comune types can run in a citizen's browser:
no scripts, no styles, no event handlers, links only to http(s), mail and
phone, and every link opened as a plain link (`rel="noopener noreferrer"`)."""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "commonmark" with tables; raw HTML is not passed through (html=False):
    # the sanitiser is the second line, not the only one.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def _demote_headings(html: str) -> str:
    # A section's own heading is an h2 on the page: headings typed inside it
    # start at h3, so the page's outline stays right for screen readers.
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{min(level + 2, 6)}>").replace(f"</h{level}>", f"</h{min(level + 2, 6)}>")
    return html


def render(markdown: str) -> SafeString:
    """Safe HTML of a Markdown text (an empty string for an empty text)."""
    if not markdown or not markdown.strip():
        return mark_safe("")  # noqa: S308 - nothing to render
    html = _demote_headings(_parser().render(markdown))
    cleaned = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by the allow-list sanitiser above
