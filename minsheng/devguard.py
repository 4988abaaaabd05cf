"""One guard for the commands that delete or reset data (load_demo, create_demo_users, bench, ...)."""

import os

from django.core.management.base import CommandError

TRUE_VALUES = {"1", "true"}


def explicit_debug() -> bool:
    """True only when the environment variable DEBUG is explicitly "1" or "true".

    Deliberately read from the environment, not from settings.DEBUG: a settings module or a test that
    forces DEBUG on does not make a production database a development one.
    """
    return os.environ.get("DEBUG", "").strip().lower() in TRUE_VALUES


def require_explicit_debug(what: str) -> None:
    """Refuse (CommandError, in Chinese) unless DEBUG=1 is set explicitly in the environment."""
    if not explicit_debug():
        raise CommandError(
            f"{what}会删除或重置数据，只能在开发环境中运行：请显式设置环境变量 DEBUG=1（make run 会设置）。"
            "生产环境中不要运行此命令。"
        )
