"""English through the locale/en catalogue: every message is translated, the compiled
catalogue Django loads is the current one, and pages follow the visitor's language.

The msgids are Italian (the default language). After changing user-facing text run
`make messages`, translate the new entries in locale/en/LC_MESSAGES/django.po, and
`make install` (compilemessages) before running these tests.
"""

import ast
import gettext
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
COMPILE_HINT = "run `make install` (it runs compilemessages) after editing the .po"

HOME_HEADING = {
    "it": "QClub: i comuni misurano e confrontano la qualità dei propri servizi",
    "en": "QClub: municipalities measure and compare the quality of their services",
}
LOGIN_HEADING = {"it": "Accedi a QClub", "en": "Sign in to QClub"}


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file as gettext's tools write it: one block per entry,
    blocks separated by a blank line, obsolete ones commented out with #~."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, target = Entry(), None
        for line in block.strip().splitlines():
            if line.startswith("#~"):
                entry.obsolete, line = True, line[2:].strip()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            if not line or line.startswith(("#", "|")):
                continue
            keyword, _, text = line.partition(" ") if not line.startswith('"') else ("", "", line)
            text = ast.literal_eval(text)
            if keyword:
                index = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
                target = ("msgstr", int(index.group(1))) if index else (keyword, 0)
                if target[0] == "msgstr":
                    entry.msgstr[target[1]] = text
                else:
                    setattr(entry, keyword, text)
            elif target[0] == "msgstr":
                entry.msgstr[target[1]] += text
            else:
                setattr(entry, target[0], getattr(entry, target[0]) + text)
        if target is not None:
            entries.append(entry)
    return entries


def live_entries() -> list[Entry]:
    """Every non-obsolete message except the header."""
    return [entry for entry in read_po(PO_PATH) if not entry.obsolete and entry.msgid]


def label(entry: Entry) -> str:
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def test_every_message_has_an_english_translation():
    untranslated = [label(e) for e in live_entries() if not all(e.msgstr.values())]
    fuzzy = [label(e) for e in live_entries() if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated in {PO_PATH.name}: {untranslated}"
    assert not fuzzy, f"fuzzy (check, then remove the flag) in {PO_PATH.name}: {fuzzy}"


def test_plural_messages_have_both_english_forms():
    incomplete = [label(e) for e in live_entries() if e.msgid_plural and sorted(e.msgstr) != [0, 1]]
    assert not incomplete


MSGFMT = shutil.which("msgfmt")


@pytest.mark.skipif(
    MSGFMT is None and os.environ.get("CI") != "true", reason="gettext's msgfmt is not installed"
)
def test_catalogue_compiles_with_no_untranslated_or_fuzzy_message(tmp_path):
    # msgfmt --check also verifies that every %(name)s placeholder survives translation.
    result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [MSGFMT, "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(PO_PATH)],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C", "LANGUAGE": ""},
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), statistics

    with (tmp_path / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert compiled.gettext("Accedi a QClub") == LOGIN_HEADING["en"]


def test_installed_catalogue_matches_the_po():
    """The .mo Django reads is compiled from the current .po (not stale, not missing)."""
    assert MO_PATH.exists(), f"{MO_PATH} is missing: {COMPILE_HINT}"
    with MO_PATH.open("rb") as mo:
        installed = gettext.GNUTranslations(mo)
    stale = []
    for entry in live_entries():
        if entry.msgid_plural:
            got = [
                installed.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                if entry.msgctxt
                else installed.ngettext(entry.msgid, entry.msgid_plural, n)
                for n in (1, 2)
            ]
            want = [entry.msgstr[0], entry.msgstr[1]]
        else:
            got = (
                installed.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else installed.gettext(entry.msgid)
            )
            want = entry.msgstr[0]
        if got != want:
            stale.append(label(entry))
    assert not stale, (
        f"{MO_PATH.name} is out of date for {stale[:10]} ({len(stale)} in all): {COMPILE_HINT}"
    )


def html_lang(content: str) -> str:
    return re.search(r'<html lang="([^"]+)"', content).group(1)


def h1(content: str) -> str:
    return re.sub(r"\s+", " ", re.search(r"<h1[^>]*>(.*?)</h1>", content, re.S).group(1)).strip()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "it"])
@pytest.mark.parametrize(
    ("url_name", "heading"), [("home", HOME_HEADING), ("login", LOGIN_HEADING)]
)
def test_page_follows_accept_language(client, url_name, heading, language):
    response = client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE=language)
    content = response.content.decode()
    assert response.status_code == 200
    assert html_lang(content) == language
    assert h1(content) == heading[language]
    other = "it" if language == "en" else "en"
    assert heading[other] not in content


@pytest.mark.django_db
def test_language_cookie_beats_accept_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert html_lang(content) == "en"
    assert h1(content) == LOGIN_HEADING["en"]
    assert "Forgotten your password?" in content


@pytest.mark.django_db
def test_italian_is_the_default_language(client):
    content = client.get(reverse("home")).content.decode()
    assert html_lang(content) == "it"
    assert h1(content) == HOME_HEADING["it"]


@pytest.mark.django_db
def test_english_home_page_has_no_italian_chrome(client):
    content = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for italian in (
        "Vai al contenuto principale",
        "Navigazione principale",
        "Accedi a QClub",
        "Lingua",
    ):
        assert italian not in content
    assert "Skip to main content" in content
