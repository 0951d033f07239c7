from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "amends.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Registers the permission table with rules, and the sign-in audit receivers.
        from amends import permissions  # noqa: F401
        from amends.accounts import signals  # noqa: F401
