"""`makemigrations` that adds `EnforceTenancy` for every tenant model a new
migration creates or alters, so that a model becomes a tenant table just by
inheriting `qclub.tenancy.TenantModel`."""

from django.apps import apps
from django.core.management.commands.makemigrations import Command as DjangoMakemigrations
from django.db.migrations import operations
from django.db.migrations.autodetector import MigrationAutodetector

from qclub.migration_ops import EnforceTenancy
from qclub.tenancy import TenantModel

_TOUCHING = (
    operations.CreateModel,
    operations.AddField,
    operations.AlterField,
    operations.RemoveField,
    operations.RenameField,
    operations.AddConstraint,
    operations.AddIndex,
    operations.AlterUniqueTogether,
    operations.AlterModelTable,
)


def _model_name(operation) -> str | None:
    return getattr(operation, "name", None) if isinstance(operation, operations.CreateModel) else getattr(
        operation, "model_name", None
    )


class TenancyAutodetector(MigrationAutodetector):
    def _detect_changes(self, convert_apps=None, graph=None):
        changes = super()._detect_changes(convert_apps, graph)
        for app_label, migrations in changes.items():
            touched: dict[str, None] = {}
            for migration in migrations:
                for operation in migration.operations:
                    name = _model_name(operation) if isinstance(operation, _TOUCHING) else None
                    if name:
                        touched[name.lower()] = None
            for name in touched:
                try:
                    model = apps.get_model(app_label, name)
                except LookupError:
                    continue
                if issubclass(model, TenantModel):
                    migrations[-1].operations.append(
                        EnforceTenancy(
                            model._meta.object_name,
                            model.tenancy_read_policies,
                            model.tenancy_write_policies,
                            model.tenancy_statement_keys,
                        )
                    )
        return changes


class Command(DjangoMakemigrations):
    autodetector = TenancyAutodetector
