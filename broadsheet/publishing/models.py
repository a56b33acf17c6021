"""Publishing's own rows: leases that let one process at a time run a job."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Lease(models.Model):
    """The right to run one job (`name`) until `expires_at`, held by one process.

    Taken and renewed with one conditional upsert (publishing.scheduler.take_lease),
    so two processes never both hold it; a holder that dies stops renewing and its
    lease runs out for another to take.
    """

    name = models.CharField(_("job"), max_length=100, primary_key=True)
    holder = models.CharField(
        _("holder"), max_length=200, help_text=_("host, process id and a random token")
    )
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")

    def __str__(self) -> str:
        return f"{self.name}: {self.holder} until {self.expires_at:%Y-%m-%d %H:%M:%S}"
