"""Django admin for the platform operator: comuni and their membership of the
club, thematic areas and services, people's roles, and the audit trails."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
    fields = ["at", "on", "from_status", "to_status", "acting_user", "note"]
    readonly_fields = fields
    extra = 0
    ordering = ["-at"]


class MembershipDecisionForm(forms.Form):
    """What a membership decision records: the day it takes effect and why."""

    on = forms.DateField(
        label=_("Data della decisione"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Per un'ammissione è la data da cui il comune è aderente."),
    )
    note = forms.CharField(label=_("Motivo"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, reason_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = reason_required
        if not reason_required:
            self.fields["note"].label = _("Motivo (facoltativo)")


def _transition_action(service, description, *, reason_required: bool):
    """An admin action that asks, on a page of its own, the decision's date and
    reason, then moves every selected comune through `service` (which records
    the event)."""

    def action(modeladmin, request, queryset):
        form = MembershipDecisionForm(
            request.POST if "apply" in request.POST else None,
            reason_required=reason_required, initial={"on": timezone.localdate()},
        )
        if not form.is_valid():
            context = {
                **modeladmin.admin_site.each_context(request),
                "title": description,
                "queryset": queryset,
                "form": form,
                "action_name": action.__name__,
                "opts": modeladmin.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/qclub/municipality/membership_decision.html", context)
        done, refused = 0, []
        for municipality in queryset:
            try:
                service(
                    municipality=municipality,
                    acting_user=request.user,
                    note=form.cleaned_data["note"],
                    on=form.cleaned_data["on"],
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
        return None

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
        _transition_action(services.propose_candidacy, _("Registra la candidatura dei comuni selezionati"),
                           reason_required=False),
        _transition_action(services.admit, _("Ammetti al club i comuni selezionati"), reason_required=True),
        _transition_action(services.suspend, _("Sospendi i comuni selezionati"), reason_required=True),
        _transition_action(services.reinstate, _("Riammetti i comuni sospesi selezionati"), reason_required=True),
        _transition_action(services.exit_club, _("Registra l'uscita dal club dei comuni selezionati"),
                           reason_required=True),
    ]

    def has_delete_permission(self, request, obj=None):
        # The national register (7,896 comuni) is never cut: a comune that leaves
        # the club becomes "ex aderente" and keeps its history (the database
        # refuses a DELETE too).
        return False


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
    list_display = ["at", "on", "municipality", "from_status", "to_status", "acting_user", "note"]
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
