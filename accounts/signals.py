"""What signing in and out tells the user."""

from django.contrib import messages


def say_signed_out(sender, request, user, **kwargs) -> None:
    """After 退出登录 the login page says so (the message outlives the flushed session in its cookie)."""
    if request is not None and user is not None:
        messages.success(request, "您已安全退出登录。")
