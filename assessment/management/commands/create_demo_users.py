from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import UserProfile
from accounts.roles import Role
from minsheng.devguard import require_explicit_debug
from projects.models import Unit

DEMO_PASSWORD = "minsheng-demo"
DEMO_USERS = [
    # username, role, unit name, full name
    ("admin", Role.OFFICE_ADMIN, None, "民生办管理员"),
    ("staff", Role.OFFICE_STAFF, None, "民生办工作人员"),
    ("jiaotong", Role.DEPARTMENT_USER, "市交通局", "市交通局填报员"),
    ("yian", Role.REGION_USER, "义安区", "义安区联络员"),
    ("leader", Role.VIEWER, None, "领导"),
]


class Command(BaseCommand):
    help = "Create the role groups and one demo user per role (development only)."

    def handle(self, *args, **options):
        require_explicit_debug("创建演示用户（create_demo_users）")
        with transaction.atomic():
            for role in Role:
                Group.objects.get_or_create(name=role.value)
            for username, role, unit_name, full_name in DEMO_USERS:
                self.create_user(username, role, unit_name, full_name)
        self.stdout.write(f"Demo users (password: {DEMO_PASSWORD}): " + ", ".join(u[0] for u in DEMO_USERS))

    def create_user(self, username, role, unit_name, full_name):
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.first_name = full_name
        user.is_staff = role == Role.OFFICE_ADMIN
        user.is_superuser = role == Role.OFFICE_ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
        unit = Unit.objects.filter(name=unit_name).first() if unit_name else None
        UserProfile.objects.update_or_create(user=user, defaults={"unit": unit})
