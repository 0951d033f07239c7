from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelayConfig(AppConfig):
    name = "amends.relay"
    label = "relay"
    verbose_name = _("Messages between participants")
