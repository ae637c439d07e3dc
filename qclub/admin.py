"""Django admin for the platform operator: comuni and their membership of the
club, thematic areas and services, people's roles, and the audit trails."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from qclub import services
from qclub.models import (
    AccessAudit,
    AreaCoordinator,
    Membership,
    MembershipEvent,
    Municipality,
    Service,
    ThematicArea,
)


class ReadOnlyAdminMixin:
    """Audit trails are written by the services only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = MembershipEvent
    fk_name = "municipality"
    fields = ["at", "from_status", "to_status", "acting_user", "note"]
    readonly_fields = fields
    extra = 0
    ordering = ["-at"]


def _transition_action(service, description):
    def action(modeladmin, request, queryset):
        done, refused = 0, []
        for municipality in queryset:
            try:
                service(
                    municipality=municipality,
                    acting_user=request.user,
                    note=gettext("Dall'amministrazione"),
                )
                done += 1
            except ValidationError as error:
                refused.extend(error.messages)
        if done:
            modeladmin.message_user(
                request,
                ngettext("%(count)d comune aggiornato.", "%(count)d comuni aggiornati.", done)
                % {"count": done},
                messages.SUCCESS,
            )
        for message in refused:
            modeladmin.message_user(request, message, messages.ERROR)

    action.__name__ = f"action_{service.__name__}"
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "istat_code", "province_code", "region", "status", "member_since"]
    list_filter = ["status", "region"]
    search_fields = ["name", "istat_code"]
    prepopulated_fields = {"slug": ["name"]}
    # Membership dates are set by the actions (services), which also write the history.
    readonly_fields = ["status", "candidate_since", "member_since", "suspended_since", "left_on"]
    inlines = [MembershipEventInline]
    actions = [
        _transition_action(services.admit, _("Ammetti al club i comuni selezionati")),
        _transition_action(services.suspend, _("Sospendi i comuni selezionati")),
        _transition_action(services.reinstate, _("Riammetti i comuni sospesi selezionati")),
    ]


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0
    prepopulated_fields = {"code": ["name"]}


@admin.register(ThematicArea)
class ThematicAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "coordinating_municipality", "started_on", "position"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["coordinating_municipality"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [ServiceInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "area"]
    list_filter = ["area"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "municipality__name"]
    autocomplete_fields = ["user", "municipality"]
    list_select_related = ["user", "municipality"]


@admin.register(AreaCoordinator)
class AreaCoordinatorAdmin(admin.ModelAdmin):
    list_display = ["user", "area"]
    list_filter = ["area"]
    search_fields = ["user__username", "area__name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "area"]


@admin.register(AccessAudit)
class AccessAuditAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "scope", "username", "municipality_id", "reason"]
    list_filter = ["scope"]
    search_fields = ["reason", "username"]


@admin.register(MembershipEvent)
class MembershipEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "municipality", "from_status", "to_status", "acting_user", "note"]
    list_filter = ["to_status"]
    search_fields = ["municipality__name", "note"]
    list_select_related = ["municipality", "acting_user"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["municipality"]


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class QClubUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, MembershipInline]
