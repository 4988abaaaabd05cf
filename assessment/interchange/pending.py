"""An upload between its preview and its confirmation, kept in the database (any application server
can confirm it), bound to the user and the period, and expiring."""

import secrets
from datetime import timedelta

from django.utils import timezone

from ..models import PendingUpload, Period

LIFETIME = timedelta(minutes=30)


def keep(*, user, period: Period, filename: str, data: bytes, digest: str) -> str:
    """Store the file for confirmation and return its token; the user's earlier pending uploads and any
    expired ones are dropped."""
    now = timezone.now()
    PendingUpload.objects.filter(expires_at__lt=now).delete()
    PendingUpload.objects.filter(user=user).delete()
    token = secrets.token_urlsafe(32)
    PendingUpload.objects.create(
        token=token,
        user=user,
        period=period,
        filename=filename[:200],
        data=data,
        digest=digest,
        expires_at=now + LIFETIME,
    )
    return token


def find(*, user, period: Period, token: str) -> PendingUpload | None:
    """The user's pending upload of this period with this token, unless it has expired."""
    if not token:
        return None
    return PendingUpload.objects.filter(token=token, user=user, period=period, expires_at__gte=timezone.now()).first()


def update_digest(upload: PendingUpload, digest: str) -> None:
    PendingUpload.objects.filter(pk=upload.pk).update(digest=digest)


def discard(upload: PendingUpload) -> None:
    PendingUpload.objects.filter(pk=upload.pk).delete()
