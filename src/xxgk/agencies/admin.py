"""The configuration pages (Django admin), every change audited, each page for one duty
(三员分立): the OGI office's configuration (agencies, the calendar, letter wordings…); the
security administrator's accounts and staff roles, changed through ``accounts``; the
security auditor's audit log, read only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.forms import AdminPasswordChangeForm as SitePasswordChangeForm
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    UserChangeForm,
)
from django.contrib.auth.models import Group, User
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from xxgk.core.steps import StepError
from xxgk.workbench import two_factor

from . import access, accounts, audit
from .models import Agency, AuditEntry, StaffRole

admin.site.site_header = _("xxgk configuration")
admin.site.site_title = _("xxgk configuration")
admin.site.index_title = _("OGI office configuration")


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose additions, changes and deletions go to the audit log too."""

    def log_addition(self, request, obj, message):
        audit.record("admin.add", obj=obj, request=request, detail={"message": str(message)})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        audit.record("admin.change", obj=obj, request=request, detail={"message": str(message)})
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit.record("admin.delete", obj=obj, request=request)
        return super().log_deletions(request, queryset)


class _Listed:
    """Shown, never added, changed or deleted on this page."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(_Listed, admin.ModelAdmin):
    """Records that only an actions layer writes: listed and searchable, never edited here."""


class _SecurityAdministration:
    """Open to the security administrator (and a superuser) only, whatever a group's
    permissions say: the OGI office administers the system, not its accounts."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_staff and access.may_manage_accounts(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class StaffRoleInline(_Listed, admin.TabularInline):
    """An agency's roles, listed; they are granted and revoked on the staff roles page by
    the security administrator (``accounts``)."""

    model = StaffRole
    extra = 0
    fields = ["user", "role"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None) -> bool:
        return True


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "name_en", "code"]
    autocomplete_fields = ["parent"]
    inlines = [StaffRoleInline]


class StaffRoleForm(forms.ModelForm):
    """A role to grant, checked by ``accounts`` before the page saves it."""

    actor: Any = None

    class Meta:
        model = StaffRole
        fields = ["user", "agency", "role"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if all(cleaned.get(name) for name in ("user", "agency", "role")):
            try:
                accounts.check_grant(self.actor, cleaned["user"], cleaned["agency"],
                                     cleaned["role"])
            except StepError as error:
                raise forms.ValidationError(error.message) from error
        return cleaned

    def validate_unique(self) -> None:
        """``accounts.check_grant`` says it in its own words."""


@admin.register(StaffRole)
class StaffRoleAdmin(_SecurityAdministration, admin.ModelAdmin):
    """Granted (added) and revoked (deleted) here, never edited: a changed role is a
    revocation and a grant, each in the audit log."""

    form = StaffRoleForm
    list_display = ["user", "role", "agency"]
    list_filter = ["role"]
    search_fields = ["user__username", "agency__name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "agency"]
    actions = None

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _with_actor(super().get_form(request, obj, change, **kwargs), request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def save_model(self, request, obj, form, change) -> None:
        granted = accounts.grant_role(request.user, obj.user, obj.agency, obj.role,
                                      request=request)
        obj.pk = granted.pk

    def delete_view(self, request, object_id, extra_context=None):
        staff_role = self.get_object(request, unquote(object_id))
        if staff_role is not None and request.method == "POST":
            try:
                accounts.check_revoke(request.user, staff_role)
            except StepError as error:
                messages.error(request, error.message)
                return HttpResponseRedirect(reverse("admin:agencies_staffrole_changelist"))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj) -> None:
        accounts.revoke_role(request.user, obj, request=request)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read by the security auditor (and a superuser) only; nobody, not even a superuser,
    may add, change or delete an entry."""

    list_display = ["at", "actor_name", "action", "object_type", "object_repr", "agency", "address"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_module_permission(self, request) -> bool:
        return request.user.is_staff and access.may_read_audit_log(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AccountRoleInline(admin.TabularInline):
    """The account's roles, listed; granted and revoked on the staff roles page."""

    model = StaffRole
    extra = 0
    fields = ["agency", "role"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None) -> bool:
        return access.may_manage_accounts(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AccountChangeForm(UserChangeForm):
    """An account's details and powers, checked by ``accounts`` before the page saves."""

    actor: Any = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        try:
            accounts.check_update(self.actor, self.instance, groups=cleaned.get("groups"),
                                  **_account_values(cleaned))
        except StepError as error:
            raise forms.ValidationError(error.message) from error
        return cleaned


class AccountCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        fields = ["username", "first_name", "last_name", "email"]


class OwnPasswordForm(SitePasswordChangeForm):
    """The configuration pages' "change my password": through ``accounts`` too, audited."""

    def save(self, commit: bool = True) -> Any:
        accounts.set_password(self.user, self.user, self.cleaned_data["new_password1"])
        self.user.refresh_from_db(fields=["password"])
        return self.user


def _own_password_change(request, extra_context=None):
    """Django's own page for it, with ``OwnPasswordForm``: Django 5.2's site has no setting
    for the form, so the site's method is replaced (before its URLs are made)."""
    request.current_app = admin.site.name
    return PasswordChangeView.as_view(
        form_class=OwnPasswordForm,
        success_url=reverse("admin:password_change_done", current_app=admin.site.name),
        extra_context={**admin.site.each_context(request), **(extra_context or {})},
    )(request)


admin.site.password_change = _own_password_change  # type: ignore[method-assign]
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AccountAdmin(_SecurityAdministration, UserAdmin):
    """Staff accounts, for the security administrator: every change made by ``accounts``
    (audited, escalation refused). No account is deleted (its audit entries name it): it is
    deactivated. Permissions are given through roles and groups, never one by one."""

    form = AccountChangeForm
    add_form = AccountCreationForm
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Name and contact"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Powers"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["username", "usable_password", "password1",
                                        "password2", "first_name", "last_name", "email"]})]
    list_display = ["username", "first_name", "is_active", "is_staff", "is_superuser"]
    list_filter = ["is_active", "is_staff", "is_superuser", "staff_roles__role"]
    filter_horizontal = ["groups"]
    inlines = [AccountRoleInline]
    # What ``xxgk login`` does, by the same functions, for the accounts ticked in the list.
    actions = ["unlock_logins", "reset_second_factors"]

    def get_form(self, request, obj=None, **kwargs):
        return _with_actor(super().get_form(request, obj, **kwargs), request)

    @admin.action(description=_("Unlock the login of the selected accounts (locked by "
                                "failed logins)"), permissions=["change"])
    def unlock_logins(self, request, queryset) -> None:
        self._for_each(request, queryset, two_factor.unlock, lambda cleared: ngettext(
            "Unlocked the login of %(account)s (%(n)d locked address cleared).",
            "Unlocked the login of %(account)s (%(n)d locked addresses cleared).", cleared))

    @admin.action(description=_("Reset the second factor of the selected accounts (lost "
                                "phone and recovery codes)"), permissions=["change"])
    def reset_second_factors(self, request, queryset) -> None:
        self._for_each(request, queryset, two_factor.reset, lambda removed: ngettext(
            "Reset the second factor of %(account)s (%(n)d device removed): it sets up its "
            "authenticator app again at its next login.",
            "Reset the second factor of %(account)s (%(n)d devices removed): it sets up its "
            "authenticator app again at its next login.", removed))

    def _for_each(self, request, queryset, act, done) -> None:
        """``act`` (audited, refused by ``accounts``' rules) on each account, one message
        each."""
        for account in queryset.order_by("username"):
            try:
                count = act(request.user, account, request=request)
            except StepError as error:
                messages.error(request, gettext("Not done for %(account)s: %(reason)s") % {
                    "account": account.get_username(), "reason": error.message})
            else:
                messages.success(request, done(count) % {"account": account.get_username(),
                                                         "n": count})

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        if obj is None:
            return []
        fixed = ["username", "last_login", "date_joined"]
        return fixed if request.user.is_superuser else [*fixed, "is_superuser"]

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_model(self, request, obj, form, change) -> None:
        cleaned = form.cleaned_data
        if change:
            accounts.update_account(request.user, obj, request=request,
                                    groups=cleaned.get("groups"), **_account_values(cleaned))
            return
        created = accounts.create_account(
            request.user, username=cleaned["username"],
            password=cleaned["password1"] if cleaned.get("set_usable_password") else None,
            first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", ""),
            email=cleaned.get("email", ""), request=request)
        obj.pk = created.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change) -> None:
        # The groups were saved by ``accounts.update_account``; the roles inline is a list.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def user_change_password(self, request, id, form_url=""):
        """Django's page, with the password set by ``accounts.set_password``."""
        account = self.get_object(request, unquote(id))
        if account is None:
            raise Http404
        if not self.has_change_permission(request, account):
            raise PermissionDenied
        form = AdminPasswordChangeForm(account, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                accounts.set_password(
                    request.user, account,
                    form.cleaned_data["password1"] if form.cleaned_data["set_usable_password"]
                    else None, request=request)
            except StepError as error:
                # The page shows only the fields' errors.
                form.add_error("password1", error.message)
            else:
                if account.pk == request.user.pk:
                    account.refresh_from_db(fields=["password"])
                    update_session_auth_hash(request, account)
                messages.success(request, _("The password was set."))
                return HttpResponseRedirect(reverse("admin:auth_user_change", args=[account.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Set password: %(account)s") % {"account": account.get_username()},
            "adminForm": helpers.AdminForm(form, [(None, {"fields": list(form.base_fields)})],
                                           {}),
            "form_url": form_url, "form": form, "is_popup": False, "add": True,
            "change": False, "has_delete_permission": False, "has_change_permission": True,
            "has_absolute_url": False, "opts": self.opts, "original": account,
            "save_as": False, "show_save": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/auth/user/change_password.html", context)


@admin.register(Group)
class AccountGroupAdmin(GroupAdmin):
    """Groups (what their members may configure), for a superuser only: a group's
    permissions are powers for every member at once. Changed by ``accounts.save_group``."""

    actions = None

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        saved = accounts.save_group(request.user, obj if change else None,
                                    name=form.cleaned_data["name"],
                                    permissions=form.cleaned_data["permissions"],
                                    request=request)
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change) -> None:
        """``accounts.save_group`` saved the permissions."""


def _with_actor(form_class: type, request) -> type:
    """The admin's form class for this request, knowing who acts (the rules depend on it)."""
    return type(form_class.__name__, (form_class,), {"actor": request.user})


def _account_values(cleaned: dict[str, Any]) -> dict[str, Any]:
    return {name: cleaned[name] for name in (*accounts.FLAGS, *accounts.DETAILS)
            if name in cleaned}
