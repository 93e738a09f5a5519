from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    # The staff workspace replaces this redirect; until then the start page is the admin.
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
]
