import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vik.settings.dev")
application = get_wsgi_application()

from vik.core.encryption import assert_canary_decrypts  # noqa: E402

assert_canary_decrypts()
