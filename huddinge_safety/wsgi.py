"""WSGI entry point; gunicorn serves ``huddinge_safety.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huddinge_safety.settings.production")

application = get_wsgi_application()
