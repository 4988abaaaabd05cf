from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessment"
    verbose_name = "月度考评"

    def ready(self):
        from . import reference_history

        reference_history.connect()
