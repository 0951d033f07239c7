"""How allauth behaves in Amends: no self-signup, and a second factor that cannot be removed."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from amends.core.fields import fernet


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Staff accounts are created only by accepting an invitation from a coordinator or administrator.
        return False


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Refuse to remove the last second factor: recovery codes alone do not count."""
        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            return False
        others = Authenticator.objects.filter(user_id=authenticator.user_id).exclude(pk=authenticator.pk)
        return bool(others.exclude(type=Authenticator.Type.RECOVERY_CODES).exists())

    def encrypt(self, text: str) -> str:
        """TOTP secrets are stored encrypted under the field keys, like all other secrets at rest."""
        return fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return fernet().decrypt(encrypted_text.encode()).decode()
