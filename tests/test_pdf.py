"""The core's PDF rule (`qclub.pdf`), used by benchmarking's reports and the
surveys' report and poster: WeasyPrint reads the font files and nothing else."""

import pytest

from qclub import exports, pdf


def test_the_fetcher_refuses_anything_but_the_fonts():
    fetcher = pdf.LocalFontFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.org/logo.png")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch((pdf.FONT_DIR / ".." / ".." / ".." / "package.json").as_uri())


def test_a_page_with_an_outside_image_still_renders_without_fetching_it():
    html = '<html><body><p>Prova</p><img src="https://example.org/x.png" alt=""></body></html>'
    assert pdf.html_to_pdf(html).startswith(b"%PDF")


def test_one_csv_writer_for_every_module():
    # A formula behind blanks is quoted too; a yes or no in words; decimal comma.
    data = exports.italian_csv(["a", "b", "c"], [["  =1+1", True, 1.5]]).decode("utf-8")
    assert data == "\ufeffa;b;c\r\n'  =1+1;sì;1,5\r\n"
