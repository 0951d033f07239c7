"""Personal access tokens for the API: creating, revoking, and finding the person a presented token acts for.

Only a token's SHA-256 hash is stored; the token itself is shown once, when it is made. A token acts as its person,
with their current roles and nothing more.
"""

import datetime
import secrets

from allauth.mfa.utils import is_mfa_enabled
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.middleware import SECOND_FACTORS
from amends.accounts.models import PersonalAccessToken, User
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.core.errors import DomainError

TOKEN_PREFIX = "amd_"  # noqa: S105 - the label every token starts with, not a secret
MAX_DAYS = 365
# last_used_at is written at most this often, so a busy client does not write on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def tokens_of(user: User) -> QuerySet[PersonalAccessToken]:
    """The person's own tokens, newest first."""
    return PersonalAccessToken.objects.filter(user=user).order_by("-created_at", "-pk")


def get_token_for_user(user: User, token_id: int) -> PersonalAccessToken:
    """One of the person's own tokens; anyone else's answers 404."""
    token = PersonalAccessToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise Http404
    return token


@transaction.atomic
def create_access_token(*, user: User, name: str, days: int) -> tuple[PersonalAccessToken, str]:
    """Make a token for the person; returns the stored record and the token itself, which is never stored."""
    name = name.strip()
    if not name:
        raise DomainError(_("Name the token, so you can tell it apart later."), field="name")
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(_("A token is valid for between 1 and %(days)s days.") % {"days": MAX_DAYS}, field="days")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name,
        token_hash=PersonalAccessToken.hash_token(plain),
        prefix=plain[:12],
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    record_event(
        action=AuditAction.ACCESS_TOKEN_CREATED,
        actor=user,
        target=token,
        changes={"name": name, "days": days, "prefix": token.prefix},
    )
    return token, plain


@transaction.atomic
def revoke_access_token(*, token: PersonalAccessToken, actor: User) -> PersonalAccessToken:
    """Stop a token working at once. Only its own person revokes it."""
    if token.user_id != actor.pk:
        raise DomainError(_("You can revoke only your own tokens."))
    if token.revoked_at is not None:
        raise DomainError(_("This token has already been revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(action=AuditAction.ACCESS_TOKEN_REVOKED, actor=actor, target=token, changes={"prefix": token.prefix})
    return token


def user_for_token(plain: str) -> User | None:
    """The active, two-factor person a presented token acts for, or None if it is unknown, revoked or expired."""
    if not plain.startswith(TOKEN_PREFIX):
        return None
    token = (
        PersonalAccessToken.objects.select_related("user")
        .filter(token_hash=PersonalAccessToken.hash_token(plain))
        .first()
    )
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    # A token is made only in a two-factor session; it stops working while its person has no second factor, as
    # their session would be sent to enrol one.
    if not is_mfa_enabled(token.user, SECOND_FACTORS):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
