"""What every visitor finds: the footer's accessibility statement and privacy
notice, breadcrumbs with separators, and a login that says whose area it is."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_footer_links_the_statement_and_the_privacy_notice(client):
    content = client.get(reverse("home")).content.decode()
    footer = content.split("<footer", 1)[1]
    assert f'href="{reverse("accessibility")}"' in footer and "Dichiarazione di accessibilità" in footer
    assert f'href="{reverse("privacy")}"' in footer and "Informativa privacy" in footer


@override_settings(CONTACT_EMAIL="qualita@comune.example.it", OPERATOR_NAME="Comune di Prova")
def test_accessibility_statement_follows_agid_model(client):
    content = client.get(reverse("accessibility")).content.decode()
    for part in ("Stato di conformità", "parzialmente conforme", "Contenuti non accessibili",
                 "Meccanismo di feedback", "Procedura di attuazione", "Difensore civico per il digitale"):
        assert part in content, part
    assert 'href="mailto:qualita@comune.example.it"' in content and "Comune di Prova" in content
    # AgID's procedure is named as text: the page makes no third-party request.
    assert "https://www.agid.gov.it" in content and 'href="https://www.agid.gov.it' not in content


@override_settings(CONTACT_EMAIL="qualita@comune.example.it", DPO_EMAIL="rpd@comune.example.it")
def test_privacy_notice_gives_article_13_information(client):
    content = client.get(reverse("privacy")).content.decode()
    for part in ("Titolare del trattamento", "Responsabile della protezione dei dati", "Finalità e base giuridica",
                 "Destinatari e conservazione", "I tuoi diritti", "Garante per la protezione dei dati personali"):
        assert part in content, part
    assert "mailto:rpd@comune.example.it" in content


def test_breadcrumbs_have_separators_and_mark_the_current_page(client):
    content = client.get(reverse("privacy")).content.decode()
    crumbs = re.search(r'<nav class="breadcrumb-container".*?</nav>', content, re.S).group(0)
    assert '<span class="separator">/</span>' in crumbs
    assert 'aria-current="page">Privacy</li>' in crumbs


def test_anonymous_visitors_are_told_the_login_is_the_reserved_area(client):
    header = client.get(reverse("home")).content.decode().split("</header>", 1)[0]
    assert "Area riservata ai comuni del club" in header
    login = client.get(reverse("login")).content.decode()
    assert "Area riservata ai comuni del club" in login
    assert f'href="{reverse("opendata:index")}"' in login  # citizens are sent to the open data


def test_italian_dates_write_month_names_in_lower_case():
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    day = datetime.date(2026, 3, 31)
    moment = datetime.datetime(2026, 3, 31, 14, 5, tzinfo=datetime.UTC)
    template = Template('{{ day|date }} | {{ day|date:"j F Y" }} | {{ moment|date:"DATETIME_FORMAT" }} | {{ day|date:"l" }}')
    with translation.override("it"):
        text = template.render(Context({"day": day, "moment": moment}))
    assert text == "31 marzo 2026 | 31 marzo 2026 | 31 marzo 2026, 16:05 | martedì"
    with translation.override("en"):
        assert Template("{{ day|date }}").render(Context({"day": day})) == "March 31, 2026"
