import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nora_social.settings")
django.setup(set_prefix=False)

from nora_social.handlers import Application  # noqa: E402 - needs the apps loaded

application = Application()
