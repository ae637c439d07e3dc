"""What changes the club's model charters.

The rules:
- the coordinators of the service's thematic area maintain its model
  charters (texts and standards); nobody else (`Action.MANAGE_CATALOGUE` for
  that area, the same check as the benchmarking catalogue's);
- every edit says which `version` of the model it started from: another
  coordinator's save in between is refused, and the caller keeps what was typed;
- a standard's terms follow `servicecharters.terms.check_terms`, as a
  comune's do;
- the models shipped in `data/*.yaml` are loaded once (`load_models`):
  after that the coordinators change them here and a second load leaves
  them as they are.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qclub.models import Service
from qclub.permissions import Action, can, check
from servicecharters.models import CharterTemplate, CharterText, TemplateStandard
from servicecharters.terms import check_terms

DATA = Path(__file__).resolve().parent / "data"
TEXT_FIELDS = ("title", *CharterText.SECTIONS, "notes")
TERMS_FIELDS = (
    "position", "dimension", "kind", "title", "measure", "comparator", "target_value", "unit",
    "compliance_pct", "figure_ref", "remedy",
)


class StaleModel(ValidationError):
    """Another coordinator saved this model charter after it was opened."""


def can_maintain(user, template: CharterTemplate) -> bool:
    return can(user, Action.MANAGE_CATALOGUE, area=template.service.area)


def _check_maintainer(user, template: CharterTemplate) -> None:
    check(user, Action.MANAGE_CATALOGUE, area=template.service.area,
          message=_("Solo chi coordina l'area del servizio modifica i suoi modelli di carta."))


def _locked(template: CharterTemplate, version: int) -> CharterTemplate:
    current = CharterTemplate.objects.select_for_update().select_related("service__area").get(pk=template.pk)
    if current.version != version:
        raise StaleModel(_(
            "Qualcun altro ha salvato questo modello dopo che l'hai aperto. Il tuo testo è ancora nel modulo: "
            "confrontalo con quello salvato e salva di nuovo per sovrascriverlo."
        ), code="stale")
    return current


def _saved(template: CharterTemplate, acting_user) -> None:
    template.version += 1
    template.updated_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    template.save()


@transaction.atomic
def update_model(*, template: CharterTemplate, version: int, acting_user, **text) -> CharterTemplate:
    """Save the texts of a model charter (only the fields given)."""
    _check_maintainer(acting_user, template)
    template = _locked(template, version)
    unknown = set(text) - set(TEXT_FIELDS)
    if unknown:
        raise ValueError(f"not model text fields: {sorted(unknown)}")
    for name, value in text.items():
        setattr(template, name, value)
    if not (template.title or "").strip():
        raise ValidationError({"title": _("Scrivi il titolo del modello.")})
    template.full_clean(exclude=["service", "updated_by"])
    _saved(template, acting_user)
    return template


@transaction.atomic
def save_model_standard(
    *, template: CharterTemplate, version: int, standard: TemplateStandard | None = None, acting_user, **terms
) -> TemplateStandard:
    """Add a template standard, or change one."""
    _check_maintainer(acting_user, template)
    template = _locked(template, version)
    terms = check_terms({k: v for k, v in terms.items() if k in TERMS_FIELDS}, service=template.service)
    if standard is None:
        terms.setdefault("position", (template.standards.count() + 1) * 10)
        standard = TemplateStandard(template=template)
    elif standard.template_id != template.pk:
        raise ValidationError(_("Lo standard non è di questo modello."))
    for name, value in terms.items():
        setattr(standard, name, value)
    standard.full_clean(exclude=["template"])
    standard.save()
    _saved(template, acting_user)
    return standard


@transaction.atomic
def delete_model_standard(*, standard: TemplateStandard, version: int, acting_user) -> None:
    _check_maintainer(acting_user, standard.template)
    template = _locked(standard.template, version)
    standard.delete()
    _saved(template, acting_user)


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


@transaction.atomic
def load_models(directory: Path = DATA) -> list[CharterTemplate]:
    """The club's model charters shipped with QClub, each created once when
    its service is in the taxonomy (a model already there is left as the
    coordinators made it). Returns the models created."""
    created = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        service = Service.objects.filter(code=data["service"]).first()
        if service is None or CharterTemplate.objects.filter(service=service, title=data["title"]).exists():
            continue
        template = CharterTemplate.objects.create(
            service=service, **{name: (data.get(name) or "").strip() for name in TEXT_FIELDS},
        )
        for position, row in enumerate(data.get("standards", ()), start=1):
            terms = {name: row.get(name) or "" for name in TERMS_FIELDS}
            terms.update(
                position=position * 10, target_value=_decimal(row.get("target_value")),
                compliance_pct=_decimal(row.get("compliance_pct")),
            )
            standard = TemplateStandard(template=template, **check_terms(terms, service=service))
            standard.full_clean(exclude=["template"])
            standard.save()
        created.append(template)
    return created
