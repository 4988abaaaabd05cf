"""The client's address as the login protection (django-axes) and the logs see it.

nginx replaces X-Forwarded-For with the address it received the connection from
(`proxy_set_header X-Forwarded-For $remote_addr;`, see deploy/nginx-minsheng.conf). The header is only
believed when the request really comes from a trusted proxy (TRUSTED_PROXY_IPS, by default the loopback
addresses where nginx runs): a client that reaches gunicorn directly cannot pick its own address, and one
that sends its own header through nginx has it overwritten.
"""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and remote in settings.TRUSTED_PROXY_IPS:
        # Should a proxy append instead of replace, the right-most entry is the one it added itself.
        return forwarded.split(",")[-1].strip()
    return remote
