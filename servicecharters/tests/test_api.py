"""The service charters API: the comune's own charters with every version for
its staff, other comuni's approved and published ones for members, published
charters with published monitoring for anyone; 404 for what one may not see."""

import pytest

from qclub.models import Municipality
from qclub.tenancy import acting_for
from servicecharters.charters import services
from servicecharters.tests.published_charters import LAST, charter, monitor, standard
from tests.factories import MunicipalityFactory, UserFactory, officer_of

pytestmark = pytest.mark.django_db
API = "/api/v1/carte-dei-servizi/"


@pytest.fixture
def charters(comune_a, comune_b, officer_a, service):
    """Trento: version 1 published (monitoring of LAST-1 published, of LAST
    not yet), version 2 in draft. Bergamo: a draft only."""
    published = charter(comune_a, service, [standard("Attesa allo sportello", 15)])
    monitor(published, LAST - 1, {"Attesa allo sportello": 12})
    monitor(published, LAST, {"Attesa allo sportello": 18}, publish=False)
    with acting_for(comune_a):
        draft = services.start_new_version(charter=published.charter, acting_user=officer_a)
        services.save_standard(version=draft, acting_user=officer_a, **standard("Novità in bozza", 5))
    other = charter(comune_b, service, [standard("Bozza di Bergamo", 1)], status="draft")
    with acting_for(comune_a):
        own_id = published.charter.public_id
    with acting_for(comune_b):
        other_id = other.charter.public_id
    return {"own": own_id, "other": other_id}


def test_the_public_api_never_shows_a_draft_or_unpublished_monitoring(client, charters, officer_a, service):
    client.force_login(officer_a)  # not even to the comune's own staff: no session is looked at
    rows = client.get(API + "pubblicate/").json()
    assert rows["count"] == 1
    assert [(r["comune"], r["service"], r["number"], r["status"]) for r in rows["results"]] == [
        ("trento", service.code, 1, "published")]
    data = client.get(API + f"pubblicate/trento/{service.code}/").json()
    assert data["current"]["number"] == 1 and [v["number"] for v in data["versions"]] == [1]
    assert [s["title"] for s in data["current"]["standards"]] == ["Attesa allo sportello"]
    assert [m["year"] for m in data["monitoring"]] == [LAST - 1]
    assert data["monitoring"][0]["results"][0]["met"] is True
    assert "Novità in bozza" not in str(data) and "Bozza di Bergamo" not in str(data)
    assert client.get(API + f"pubblicate/bergamo/{service.code}/").status_code == 404
    assert client.get(API + "pubblicate/nessuno/nessuno/").status_code == 404
    assert client.get(API + "pubblicate/?limit=0").status_code == 400
    assert client.get(API + "pubblicate/?comune=bergamo").json()["count"] == 0


def test_the_public_api_needs_no_login(client, charters, service):
    assert client.get(API + f"pubblicate/trento/{service.code}/").status_code == 200


def test_the_comunes_staff_read_every_version_drafts_too(client, charters, officer_a):
    client.force_login(officer_a)
    rows = client.get(API).json()
    assert rows["count"] == 1
    [own] = rows["results"]
    assert [(v["number"], v["status"]) for v in own["versions"]] == [(2, "draft"), (1, "published")]
    public_id = charters["own"]
    version = client.get(API + f"{public_id}/versioni/2/").json()
    assert version["status"] == "draft" and "Novità in bozza" in [s["title"] for s in version["standards"]]
    assert client.get(API + f"{public_id}/versioni/9/").status_code == 404


def test_another_comunes_draft_is_404(client, charters, officer_a, service):
    client.force_login(officer_a)
    other = charters["other"]
    assert client.get(API + f"{other}/").status_code == 404
    assert client.get(API + f"{other}/versioni/1/").status_code == 404
    assert client.get(API + f"club/bergamo/{service.code}/").status_code == 404
    assert client.get(API + "club/?comune=bergamo").json()["count"] == 0


def test_members_read_other_comuni_approved_and_published_versions_only(client, charters, officer_b, service):
    client.force_login(officer_b)
    rows = client.get(API + "club/").json()
    assert [(r["comune"], r["number"]) for r in rows["results"]] == [("trento", 1)]
    data = client.get(API + f"club/trento/{service.code}/").json()
    assert [v["number"] for v in data["versions"]] == [1] and data["current"]["status"] == "published"
    assert [m["year"] for m in data["monitoring"]] == [LAST - 1]
    # Bergamo's own staff see their draft through their own endpoint, not the club's.
    assert client.get(API).json()["results"][0]["versions"][0]["status"] == "draft"


def test_the_club_api_is_for_members_only(client, charters, service):
    outsider = MunicipalityFactory(name="Fuori", slug="fuori", status=Municipality.Status.NON_MEMBER)
    client.force_login(officer_of(outsider))
    assert client.get(API + "club/").status_code == 403
    client.force_login(UserFactory())
    assert client.get(API + f"club/trento/{service.code}/").status_code == 403
    assert client.get(API).status_code == 403
