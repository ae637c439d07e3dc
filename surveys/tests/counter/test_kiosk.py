"""The kiosk: faces recorded through the one rule, the negative reason, the
device token's scope (its survey only, its comune only; revoked and expired
refused), the rate limit, and the officer's pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from qclub.tenancy import acting_for
from surveys.counter import kiosk
from surveys.counter.views import KIOSK_COOKIE
from surveys.models import Answer, KioskDevice, Response, Survey
from tests.factories import officer_of

pytestmark = pytest.mark.django_db


def started(comune, survey, user=None, days=30):
    with acting_for(comune):
        return kiosk.start_kiosk(survey=survey, name="Sportello anagrafe", days=days, acting_user=user or officer_of(comune))


def answers_of(comune, survey):
    with acting_for(comune):
        return sorted(
            (a.question.code, a.number, a.choice)
            for a in Answer.objects.filter(survey=survey).select_related("question")
        )


def test_faces_are_recorded_through_the_rule_with_the_negative_reason(comune_a, faces_survey):
    device, _secret = started(comune_a, faces_survey)
    with acting_for(comune_a):
        kiosk.record_kiosk_answer(device=device, face=kiosk.POSITIVE)
        kiosk.record_kiosk_answer(device=device, face=kiosk.NEUTRAL)
        kiosk.record_kiosk_answer(device=device, face=kiosk.NEGATIVE, reason="ritorno")
        modes = set(Response.objects.filter(survey=faces_survey).values_list("mode", flat=True))
    assert modes == {"kiosk"}
    assert answers_of(comune_a, faces_survey) == [
        ("perche", None, "ritorno"),
        ("volto-oggi", Decimal(1), ""),
        ("volto-oggi", Decimal(2), ""),
        ("volto-oggi", Decimal(3), ""),
    ]


def test_an_unknown_reason_is_refused_by_the_rule_and_writes_nothing(comune_a, faces_survey):
    device, _secret = started(comune_a, faces_survey)
    with acting_for(comune_a), pytest.raises(ValidationError) as refused:
        kiosk.record_kiosk_answer(device=device, face=kiosk.NEGATIVE, reason="meteo")
    assert "La scelta non è tra quelle previste" in str(refused.value)
    assert answers_of(comune_a, faces_survey) == []


def test_only_the_secret_hash_is_stored(comune_a, faces_survey):
    device, secret = started(comune_a, faces_survey)
    assert secret not in device.token_hash and len(device.token_hash) == 64
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM surveys_kioskdevice WHERE token_hash = %s", [secret])
        assert cursor.fetchone()[0] == 0


def test_a_kiosk_needs_the_kiosk_mode_an_open_survey_and_a_three_point_overall(comune_a, faces_survey, paper_survey):
    with acting_for(comune_a), pytest.raises(ValidationError, match="emoticon"):
        kiosk.start_kiosk(survey=paper_survey, name="Tablet", days=30, acting_user=officer_of(comune_a))
    with acting_for(comune_a):
        paper_survey.modes = ["paper", "kiosk"]
        paper_survey.save()
    # The standard questionnaire's overall item is on five points: not faces.
    with acting_for(comune_a), pytest.raises(ValidationError, match="tre livelli"):
        kiosk.start_kiosk(survey=paper_survey, name="Tablet", days=30, acting_user=officer_of(comune_a))


def tablet(client, comune, secret):
    client.cookies[KIOSK_COOKIE] = f"{comune.pk}:{secret}"
    return client


def test_the_tablet_posts_a_face_and_is_thanked(client, comune_a, faces_survey):
    _device, secret = started(comune_a, faces_survey)
    tablet(client, comune_a, secret)
    page = client.get(reverse("surveys:kiosk"))
    assert page.status_code == 200
    body = page.content.decode()
    for label in ("Soddisfatto", "Così così", "Insoddisfatto"):
        assert label in body
    response = client.post(reverse("surveys:kiosk"), {"volto": "positive"})
    assert response.status_code == 302 and response["Location"] == reverse("surveys:kiosk_thanks")
    thanks = client.get(response["Location"]).content.decode()
    assert "Grazie" in thanks and 'data-reset-after="4"' in thanks
    assert answers_of(comune_a, faces_survey) == [("volto-oggi", Decimal(3), "")]


def test_the_negative_face_asks_the_reason_before_recording(client, comune_a, faces_survey):
    _device, secret = started(comune_a, faces_survey)
    tablet(client, comune_a, secret)
    step = client.post(reverse("surveys:kiosk"), {"volto": "negative"})
    assert step.status_code == 200
    body = step.content.decode()
    assert "Tempo di attesa" in body and "Sono dovuto tornare" in body and "Esito della pratica" in body
    assert answers_of(comune_a, faces_survey) == []
    client.post(reverse("surveys:kiosk"), {"volto": "negative", "motivo": "personale"})
    client.post(reverse("surveys:kiosk"), {"volto": "negative", "motivo": "-"})
    assert answers_of(comune_a, faces_survey) == [
        ("perche", None, "personale"), ("volto-oggi", Decimal(1), ""), ("volto-oggi", Decimal(1), ""),
    ]


def test_no_cookie_a_wrong_one_or_another_comunes_id_opens_nothing(client, comune_a, comune_b, faces_survey):
    _device, secret = started(comune_a, faces_survey)
    assert client.get(reverse("surveys:kiosk")).status_code == 403
    tablet(client, comune_a, "not-the-secret")
    assert client.post(reverse("surveys:kiosk"), {"volto": "positive"}).status_code == 403
    # The right secret with another comune's id: looked up under that comune's
    # row-level security, where the device does not exist.
    tablet(client, comune_b, secret)
    assert client.post(reverse("surveys:kiosk"), {"volto": "positive"}).status_code == 403
    assert answers_of(comune_a, faces_survey) == []


def test_a_device_posts_for_its_own_survey_only(client, comune_a, faces_survey):
    """There is no survey in the request at all: the device decides it."""
    with acting_for(comune_a):
        from surveys.tests.counter.conftest import faces_version
        from surveys.tests.factories import SurveyFactory

        other = SurveyFactory(version=faces_version(), status="open", modes=["kiosk"])
    _device, secret = started(comune_a, faces_survey)
    tablet(client, comune_a, secret)
    client.post(reverse("surveys:kiosk"), {"volto": "neutral", "survey": str(other.public_id)})
    assert answers_of(comune_a, other) == []
    assert answers_of(comune_a, faces_survey) == [("volto-oggi", Decimal(2), "")]


def test_a_revoked_or_expired_device_is_refused(client, comune_a, faces_survey):
    device, secret = started(comune_a, faces_survey)
    officer = officer_of(comune_a)
    with acting_for(comune_a):
        kiosk.revoke_kiosk(device=device, acting_user=officer)
    tablet(client, comune_a, secret)
    assert client.post(reverse("surveys:kiosk"), {"volto": "positive"}).status_code == 403
    device2, secret2 = started(comune_a, faces_survey)
    with acting_for(comune_a):
        KioskDevice.objects.filter(pk=device2.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        with pytest.raises(ValidationError, match="non è più attiva"):
            kiosk.record_kiosk_answer(device=KioskDevice.objects.get(pk=device2.pk), face="positive")
    tablet(client, comune_a, secret2)
    assert client.post(reverse("surveys:kiosk"), {"volto": "positive"}).status_code == 403
    assert answers_of(comune_a, faces_survey) == []


def test_a_closed_survey_shows_a_closed_kiosk(client, comune_a, faces_survey):
    _device, secret = started(comune_a, faces_survey)
    with acting_for(comune_a):
        faces_survey.status = "closed"
        faces_survey.save()
    tablet(client, comune_a, secret)
    response = client.post(reverse("surveys:kiosk"), {"volto": "positive"})
    assert response.status_code == 403 and "chiusa" in response.content.decode()


def test_a_device_is_rate_limited_and_refused_posts_count(comune_a, faces_survey):
    device, _secret = started(comune_a, faces_survey)
    with acting_for(comune_a):
        for _ in range(kiosk.KIOSK_ANSWERS_PER_MINUTE - 1):
            kiosk.record_kiosk_answer(device=device, face="positive")
        with pytest.raises(ValidationError):
            kiosk.record_kiosk_answer(device=device, face="nonsense")
        with pytest.raises(ValidationError, match="Troppe risposte"):
            kiosk.record_kiosk_answer(device=device, face="positive")
        KioskDevice.objects.filter(pk=device.pk).update(
            window_started_at=timezone.now() - datetime.timedelta(minutes=2)
        )
        kiosk.record_kiosk_answer(device=device, face="positive")
        assert Response.objects.filter(survey=faces_survey).count() == kiosk.KIOSK_ANSWERS_PER_MINUTE


def test_the_officer_starts_the_kiosk_on_this_device_and_is_signed_out(client, comune_a, faces_survey):
    officer = officer_of(comune_a)
    client.force_login(officer)
    url = reverse("surveys:counter_kiosks", args=[faces_survey.public_id])
    assert "Avvia la postazione" in client.get(url).content.decode()
    response = client.post(url, {"name": "Tablet anagrafe", "days": "7"})
    assert response.status_code == 302 and response["Location"] == reverse("surveys:kiosk")
    assert "_auth_user_id" not in client.session
    cookie = response.cookies[KIOSK_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert client.post(reverse("surveys:kiosk"), {"volto": "neutral"}).status_code == 302
    assert answers_of(comune_a, faces_survey) == [("volto-oggi", Decimal(2), "")]
    with acting_for(comune_a):
        device = KioskDevice.objects.get()
    assert device.name == "Tablet anagrafe" and device.started_by == officer
    assert timezone.now() + datetime.timedelta(days=6) < device.expires_at


def test_the_officer_revokes_a_kiosk(client, comune_a, faces_survey):
    device, _secret = started(comune_a, faces_survey)
    client.force_login(officer_of(comune_a))
    url = reverse("surveys:counter_kiosk_revoke", args=[faces_survey.public_id, device.public_id])
    assert client.post(url).status_code == 302
    with acting_for(comune_a):
        assert KioskDevice.objects.get().revoked_at is not None


def test_starting_needs_a_name(client, comune_a, faces_survey):
    client.force_login(officer_of(comune_a))
    response = client.post(reverse("surveys:counter_kiosks", args=[faces_survey.public_id]), {"name": " ", "days": "30"})
    assert response.status_code == 400
    assert 'aria-describedby="kiosk-name-error"' in response.content.decode()


def test_another_comunes_kiosk_pages_answer_404(client, comune_a, faces_survey, faces_survey_b, comune_b):
    device_b, _secret = started(comune_b, faces_survey_b)
    client.force_login(officer_of(comune_a))
    assert client.get(reverse("surveys:counter_kiosks", args=[faces_survey_b.public_id])).status_code == 404
    revoke = reverse("surveys:counter_kiosk_revoke", args=[faces_survey_b.public_id, device_b.public_id])
    assert client.post(revoke).status_code == 404
    # Nor through one's own survey with the other comune's device.
    revoke = reverse("surveys:counter_kiosk_revoke", args=[faces_survey.public_id, device_b.public_id])
    assert client.post(revoke).status_code == 404
    with acting_for(comune_b):
        assert KioskDevice.objects.get().revoked_at is None


def test_kiosk_devices_are_invisible_from_another_comune_in_sql(comune_a, comune_b, faces_survey):
    started(comune_a, faces_survey)
    with acting_for(comune_b), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM surveys_kioskdevice")
        assert cursor.fetchone()[0] == 0
    with acting_for(comune_a), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM surveys_kioskdevice")
        assert cursor.fetchone()[0] == 1


def test_the_tablet_past_the_rate_limit_is_told_to_wait(client, comune_a, faces_survey):
    _device, secret = started(comune_a, faces_survey)
    tablet(client, comune_a, secret)
    for _ in range(kiosk.KIOSK_ANSWERS_PER_MINUTE):
        assert client.post(reverse("surveys:kiosk"), {"volto": "positive"}).status_code == 302
    response = client.post(reverse("surveys:kiosk"), {"volto": "positive"})
    assert response.status_code == 429 and "attendere un minuto" in response.content.decode()
    with acting_for(comune_a):
        assert Response.objects.filter(survey=faces_survey).count() == kiosk.KIOSK_ANSWERS_PER_MINUTE


def test_the_tablet_refuses_a_face_after_the_surveys_last_day(client, comune_a, faces_survey):
    import datetime

    _device, secret = started(comune_a, faces_survey)
    with acting_for(comune_a):
        Survey.objects.filter(pk=faces_survey.pk).update(ends_on=datetime.date.today() - datetime.timedelta(days=1))
    tablet(client, comune_a, secret)
    response = client.post(reverse("surveys:kiosk"), {"volto": "positive"})
    assert response.status_code == 400 and "terminata" in response.content.decode()
    assert answers_of(comune_a, faces_survey) == []
