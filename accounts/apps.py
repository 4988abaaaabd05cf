from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "用户与角色"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_out

        from .roles import ensure_role_groups, grant_admin_site_to_office_admins
        from .signals import say_signed_out

        post_migrate.connect(ensure_role_groups, sender=self)
        m2m_changed.connect(grant_admin_site_to_office_admins, sender=get_user_model().groups.through)
        user_logged_out.connect(say_signed_out, dispatch_uid="minsheng-signed-out-message")
