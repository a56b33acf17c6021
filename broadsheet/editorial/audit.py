"""The audit log: security-relevant events written as AuditEvent rows.

Logins, failed logins and lockouts come from Django's and django-axes' signals;
role changes from roles.assign(); publishes and withdrawals from the workflow;
imports and restores from the CLI. Each is one row, written in the transaction
of the act it records (a rolled-back publish leaves no "published" line).
"""

from __future__ import annotations

from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver
from django.http import HttpRequest

from broadsheet.editorial.models import AuditEvent

Kind = AuditEvent.Kind


def record(
    kind: str,
    *,
    actor=None,
    actor_name: str = "",
    target: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Write one event; `actor` is a user (or None: the system, the CLI)."""
    if actor is not None and getattr(actor, "pk", None) is None:
        actor = None  # AnonymousUser
    return AuditEvent.objects.create(
        kind=kind,
        actor=actor,
        actor_name=(actor_name or (actor.get_username() if actor else ""))[:150],
        ip_address=_client_ip(request),
        target=target[:300],
        detail=detail[:500],
    )


def _client_ip(request: HttpRequest | None) -> str | None:
    # REMOTE_ADDR only: a forwarded header is the client's to forge unless a
    # proxy the site trusts sets it, and that proxy's address is still the truth.
    return request.META.get("REMOTE_ADDR") or None if request else None


@receiver(user_logged_in, dispatch_uid="audit-login")
def _logged_in(sender, request, user, **kwargs) -> None:
    record(Kind.LOGIN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit-logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(Kind.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in `credentials`; keep the name only.
    name = str(credentials.get("username", ""))
    record(Kind.LOGIN_FAILED, actor_name=name, target=name, request=request)


def connect_lockouts() -> None:
    """django-axes' lockout signal (connected in AppConfig.ready: axes' signals
    module imports its models, which cannot load before the app registry)."""
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="audit-locked-out")


def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    record(
        Kind.LOCKED_OUT,
        actor_name=username or "",
        target=username or "",
        detail=f"too many failed logins from {ip_address}",
        request=request,
    )
