"""PDF reports as queued jobs: rendered by the worker, fetched only by whoever
asked, at most a few in preparation per comune, deleted after some days."""

import datetime
import io
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob
from pypdf import PdfReader

from benchmarking.reports import jobs as report_jobs
from benchmarking.reports import services as reports
from qclub.models import Municipality
from tests.factories import MunicipalityFactory, officer_of


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def area_url(area):
    return reverse("benchmarking:report_area", args=[area.code, "2025"])


def job_urls(public_id):
    return [reverse(name, args=[public_id]) for name in
            ("benchmarking:report_job", "benchmarking:report_job_status", "benchmarking:report_download")]


def queue_report(client, area):
    response = client.post(area_url(area))
    assert response.status_code == 302, response.content.decode()[:500]
    public_id = response["Location"].rstrip("/").split("/")[-1]
    return ProcrastinateJob.objects.get(args__public_id=public_id).pk, public_id


def test_a_report_is_rendered_by_the_worker_and_only_its_requester_gets_it(
    client, run_jobs, media, comune_a, officer_a, comune_b, officer_b, campaign
):
    client.force_login(officer_a)
    job_id, public_id = queue_report(client, campaign.area)
    page_url, status_url, download_url = job_urls(public_id)
    waiting = client.get(page_url).content.decode()
    assert status_url in waiting and "In coda" in waiting

    run_jobs()

    job = ProcrastinateJob.objects.get(pk=job_id)
    assert job.status == "succeeded" and job.args["municipality_id"] == comune_a.pk
    fragment = client.get(status_url).content.decode()
    assert "Il PDF è pronto" in fragment and download_url in fragment and "every 1s" not in fragment
    download = client.get(download_url)
    assert download.status_code == 200 and "rapporto-servizi-demografici-2025.pdf" in download["Content-Disposition"]
    data = b"".join(download.streaming_content)
    assert data == (media / "reports" / f"{job_id}.pdf").read_bytes()
    assert "Servizi demografici" in "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)

    # Another user of the same comune, and a user of another comune: nothing.
    for someone in (officer_of(comune_a), officer_b):
        client.force_login(someone)
        for url in (page_url, status_url, download_url):
            assert client.get(url).status_code == 404, (someone, url)


def test_the_report_page_says_when_the_file_has_expired(client, run_jobs, officer_a, campaign):
    client.force_login(officer_a)
    job_id, public_id = queue_report(client, campaign.area)
    run_jobs()
    _page_url, status_url, download_url = job_urls(public_id)
    reports.expire_report_files(older_than=timezone.now() + datetime.timedelta(seconds=1))

    assert "non è più disponibile" in client.get(status_url).content.decode()
    assert client.get(download_url).status_code == 404


def test_a_failed_report_is_retried_then_shown_as_a_plain_message(client, run_jobs, monkeypatch, officer_a, campaign):
    attempts = []

    def broken_renderer(template, context):
        attempts.append(template)
        raise RuntimeError("weasyprint: internal detail that must not reach the page")

    monkeypatch.setattr(reports, "render_pdf", broken_renderer)
    client.force_login(officer_a)
    job_id, public_id = queue_report(client, campaign.area)

    run_jobs()

    job = ProcrastinateJob.objects.get(pk=job_id)
    assert job.status == "failed" and job.attempts == 2 and len(attempts) == 2
    page_url, status_url, download_url = job_urls(public_id)
    for url in (page_url, status_url):
        page = client.get(url).content.decode()
        assert "Non è stato possibile generare il PDF" in page
        assert "internal detail" not in page and "Traceback" not in page
    assert client.get(download_url).status_code == 404


def test_a_comune_may_have_only_so_many_reports_in_preparation(client, settings, comune_a, comune_b, campaign):
    settings.REPORTS_MAX_PENDING_PER_COMUNE = 2
    area = campaign.area
    client.force_login(officer_of(comune_a))
    first, _public_id = queue_report(client, area)
    scorecard = client.post(reverse("benchmarking:report_scorecard_choice"),
                            {"comune": comune_b.slug, "area": area.code, "period": "2025"})
    assert scorecard.status_code == 302

    client.force_login(officer_of(comune_a))  # the cap is the comune's, not the user's
    refused = client.post(area_url(area))
    assert refused.status_code == 429
    assert "già 2 rapporti in preparazione" in refused.content.decode()
    assert ProcrastinateJob.objects.filter(args__municipality_id=comune_a.pk).count() == 2

    client.force_login(officer_of(comune_b))  # another comune is not held up
    queue_report(client, area)

    # A finished report no longer counts.
    ProcrastinateJob.objects.filter(pk=first).update(status="succeeded")
    client.force_login(officer_of(comune_a))
    queue_report(client, area)


def test_no_page_renders_a_pdf_outside_the_queue(client, settings, monkeypatch, comune_a, campaign):
    """`?sync=1` once rendered the PDF inside the request, past the cap: every
    GET of a report page now shows the start page, whatever its query."""
    settings.REPORTS_MAX_PENDING_PER_COMUNE = 1
    monkeypatch.setattr(reports, "build_pdf", lambda *a, **k: pytest.fail("a PDF was rendered in the request"))
    client.force_login(officer_of(comune_a))
    queue_report(client, campaign.area)
    scorecard_url = reverse("benchmarking:report_scorecard", args=[comune_a.slug, campaign.area.code, "2025"])
    for url in (area_url(campaign.area), scorecard_url):
        for query in ("", "?sync=1", "?sync=true&format=pdf"):
            response = client.get(url + query)
            assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert client.post(area_url(campaign.area) + "?sync=1").status_code == 429
    assert ProcrastinateJob.objects.filter(args__municipality_id=comune_a.pk).count() == 1


def test_a_comune_outside_the_club_cannot_queue_a_report(client, campaign):
    outsider = officer_of(MunicipalityFactory(status=Municipality.Status.CANDIDATE))
    client.force_login(outsider)
    assert client.post(area_url(campaign.area)).status_code == 403
    assert not ProcrastinateJob.objects.exists()


def test_report_files_older_than_the_setting_are_deleted_every_night(db, settings, media):
    settings.REPORTS_KEEP_DAYS = 7
    folder = media / "reports"
    folder.mkdir()
    night = timezone.make_aware(datetime.datetime(2026, 5, 20, 3, 30))
    ages = {"1.pdf": 8, "2.pdf": 6, "leftover.json": 30}
    for name, days in ages.items():
        (folder / name).write_bytes(b"%PDF")
        written = (night - datetime.timedelta(days=days)).timestamp()
        os.utime(folder / name, (written, written))

    report_jobs.expire_reports.task(timestamp=int(night.timestamp()))

    assert sorted(p.name for p in folder.iterdir()) == ["2.pdf"]
    periodic = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic["benchmarking.expire_reports"] == "30 3 * * *"
