"""How any module renders a PDF (moved here from benchmarking's reports so that
surveys' report and poster use the same rule).

WeasyPrint renders our own HTML with the Titillium Web font files of the
bootstrap-italia package (DejaVu Sans the fallback) and refuses every other
resource: no network, no other file of the server, so a text typed by a user
can never pull anything in. A template puts `{{ font_faces }}` in its
<style>; `render_pdf` passes it."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher

FONT_DIR = Path(settings.BASE_DIR) / "node_modules" / "bootstrap-italia" / "dist" / "fonts" / "Titillium_Web"
SYSTEM_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


class LocalFontFetcher(URLFetcher):
    """Lets WeasyPrint read the font files and nothing else."""

    allowed_roots = (FONT_DIR, SYSTEM_FONT_DIR)

    def fetch(self, url, headers=None):
        if not url.startswith("file:"):
            raise ValueError(f"refused non-local resource: {url[:80]}")
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not any(path.is_relative_to(root.resolve()) for root in self.allowed_roots):
            raise ValueError(f"refused file outside the font folders: {path}")
        return super().fetch(path.as_uri(), headers)


def font_faces() -> str:
    """@font-face rules for Titillium Web, by file:// URL."""
    rules = []
    for weight, style, name in (
        (400, "normal", "regular"), (400, "italic", "italic"), (600, "normal", "600"), (700, "normal", "700"),
    ):
        path = FONT_DIR / f"titillium-web-v10-latin-ext_latin-{name}.ttf"
        if path.exists():
            rules.append(
                f'@font-face {{ font-family: "Titillium Web"; font-weight: {weight}; font-style: {style}; '
                f'src: url("{path.as_uri()}") format("truetype"); }}'
            )
    return "\n".join(rules)


# The tagged variant for documents citizens read (PDF/UA-1: structure tags, the
# document's title and language from the HTML's <title> and lang).
ACCESSIBLE = "pdf/ua-1"


def html_to_pdf(html: str, *, variant: str | None = None) -> bytes:
    """Our own HTML as PDF bytes, reading only the font files; `variant` a
    WeasyPrint PDF variant (`ACCESSIBLE` for a tagged PDF)."""
    document = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=LocalFontFetcher())
    return document.write_pdf(pdf_variant=variant) if variant else document.write_pdf()


def render_pdf(template: str, context: dict, *, variant: str | None = None) -> bytes:
    """A template rendered with `font_faces` in its context, as PDF bytes."""
    html = render_to_string(template, {**context, "font_faces": mark_safe(font_faces())})  # noqa: S308 - our own CSS
    return html_to_pdf(html, variant=variant)
