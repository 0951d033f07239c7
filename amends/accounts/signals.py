"""Audit events for signing in and second factors, which allauth and Django write on our behalf.

Second factors are recorded from the model's own save and delete signals, so the event shares their transaction.
"""

from typing import Any

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authentication_failed, authenticator_reset
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from amends.audit.models import AuditAction
from amends.audit.services import record_event


# Django's signal, which allauth's sign-in sends too, so accepting an invitation (a direct login) is recorded as well.
@receiver(user_logged_in)
def record_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_event(action=AuditAction.SIGNED_IN, actor=user, target=user)


@receiver(user_logged_out)
def record_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event(action=AuditAction.SIGNED_OUT, actor=user, target=user)


@receiver(user_login_failed)
def record_failed_password(sender: Any, credentials: Any, request: Any = None, **kwargs: Any) -> None:
    # The address typed is personal data and may not even belong to anyone: it is not recorded.
    record_event(action=AuditAction.SIGN_IN_FAILED, actor=None, changes={"step": "password"})


@receiver(authentication_failed)
def record_failed_second_factor(sender: Any, user: Any, authenticator: Authenticator, **kwargs: Any) -> None:
    record_event(
        action=AuditAction.SIGN_IN_FAILED,
        actor=user,
        target=user,
        changes={"step": "second_factor", "type": authenticator.type},
    )


@receiver(post_save, sender=Authenticator)
def record_second_factor_added(sender: Any, instance: Authenticator, created: bool, **kwargs: Any) -> None:
    if created:
        record_event(
            action=AuditAction.SECOND_FACTOR_ADDED,
            actor=instance.user,
            target=instance,
            changes={"type": instance.type},
        )


@receiver(post_delete, sender=Authenticator)
def record_second_factor_removed(sender: Any, instance: Authenticator, **kwargs: Any) -> None:
    record_event(
        action=AuditAction.SECOND_FACTOR_REMOVED, actor=instance.user, target=instance, changes={"type": instance.type}
    )


@receiver(authenticator_reset)
def record_recovery_codes_renewed(sender: Any, user: Any, authenticator: Authenticator, **kwargs: Any) -> None:
    record_event(action=AuditAction.RECOVERY_CODES_RENEWED, actor=user, target=authenticator)


@receiver(password_changed)
def record_password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_event(action=AuditAction.PASSWORD_CHANGED, actor=user, target=user)


@receiver(password_reset)
def record_password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_event(action=AuditAction.PASSWORD_RESET, actor=user, target=user)
