import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vik.settings.dev")
application = get_wsgi_application()

from vik.core.encryption import assert_canary_decrypts  # noqa: E402

assert_canary_decrypts()

from vik.core.warmup import warm_up  # noqa: E402

warm_up()  # the first request of each page no longer imports the views or compiles its templates
