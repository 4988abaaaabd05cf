from django.apps import AppConfig


class LedgerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ledger"
    verbose_name = "整改台账"

    def ready(self):
        from . import exports  # noqa: F401 (registers the ledger's exporters)
