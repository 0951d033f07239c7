from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "amends.consent"
    verbose_name = _("Information, responsibility and consent")
