"""The audit log in admin: readable and filterable by administrators,
never added to, changed or deleted there."""

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["time", "action", "user", "attempted_username", "followup", "ip_address"]
    list_filter = ["action", "time", "followup", "user"]
    date_hierarchy = "time"
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "attempted_username",
        "ip_address",
        "detail",
    ]
    list_select_related = ["user", "followup__programme"]
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
