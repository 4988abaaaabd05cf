"""Guards for development-only commands that write or wipe data."""

import os

from django.core.management.base import CommandError

EXPLICIT_DEBUG_VALUES = ("1", "true")


def require_explicit_debug(what: str) -> None:
    """Refuse unless DEBUG=1 (or true) is set explicitly in the environment: a destructive development
    command must never run because a checkout merely defaulted to development mode."""
    if os.environ.get("DEBUG", "").strip().lower() not in EXPLICIT_DEBUG_VALUES:
        raise CommandError(f"{what}只能在开发环境中运行：请显式设置环境变量 DEBUG=1。")
