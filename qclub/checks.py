"""System checks that keep every tenant model a proper tenant model."""

from django.apps import apps
from django.core.checks import Error, Tags, register
from django.db import models

from qclub.tenancy import SCOPES, TenantModel


@register(Tags.models)
def check_tenant_models(app_configs=None, **kwargs):
    errors = []
    for model in apps.get_models():
        if not issubclass(model, TenantModel):
            continue
        label = model._meta.label
        for field in model._meta.local_fields:
            if field.unique and not field.primary_key:
                errors.append(Error(
                    f"{label}.{field.name} is unique on its own; a tenant model's unique "
                    "keys must include the municipality (use a UniqueConstraint).",
                    obj=model, id="qclub.E001",
                ))
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and "municipality" not in constraint.fields:
                errors.append(Error(
                    f"{label}: unique constraint {constraint.name} lacks the municipality.",
                    obj=model, id="qclub.E002",
                ))
        # A model may drop the public identifier (`public_id = None`) when its rows
        # are never addressed on their own; one that has it keeps it unique per comune.
        has_public_id = any(field.name == "public_id" for field in model._meta.fields)
        if has_public_id and not any(
            isinstance(c, models.UniqueConstraint) and list(c.fields) == ["municipality", "public_id"]
            for c in model._meta.constraints
        ):
            errors.append(Error(
                f"{label}: Meta.constraints must extend TenantModel.Meta.constraints "
                "(public_id unique per comune).",
                obj=model, id="qclub.E003",
            ))
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                errors.append(Error(
                    f"{label}.{field.name}: many-to-many between tenant rows needs an "
                    "explicit through model that is itself a TenantModel.",
                    obj=model, id="qclub.E004",
                ))
        unknown = (set(model.tenancy_read_policies) | set(model.tenancy_write_policies)) - set(SCOPES)
        if unknown:
            errors.append(Error(
                f"{label}: unknown scopes in tenancy_read/write_policies: {sorted(unknown)}",
                obj=model, id="qclub.E005",
            ))
    return errors
