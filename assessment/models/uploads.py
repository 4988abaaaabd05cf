"""An uploaded file waiting for its preview to be confirmed: kept on the server, not in the session."""

from django.conf import settings
from django.db import models

from .periods import Period


class PendingUpload(models.Model):
    """Bound to one user and one period, size-limited by the upload form, and expiring."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    data = models.BinaryField()
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "待确认的上传"
        verbose_name_plural = "待确认的上传"

    def __str__(self):
        return f"{self.filename} ({self.period})"
