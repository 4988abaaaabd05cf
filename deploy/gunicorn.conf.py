"""gunicorn settings for minsheng: `python -m gunicorn -c deploy/gunicorn.conf.py minsheng.wsgi:application`.

Options given on the command line (e.g. --bind, --workers) override these.
"""

import os

# Only nginx on the same host talks to gunicorn.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the app is CPU-light and talks to PostgreSQL; 2 × cores + 1 is the usual starting point.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
# A grid save recomputes the month's results, an upload is checked and applied in one request.
timeout = 120
graceful_timeout = 30
# Recycle workers now and then so that memory stays bounded over months of uptime.
max_requests = 1000
max_requests_jitter = 100

# Logs to stdout/stderr (journald under systemd). The request id is the one the app put on the response.
accesslog = "-"
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" request_id=%({x-request-id}o)s'
# gunicorn believes X-Forwarded-* only from the local nginx.
forwarded_allow_ips = "127.0.0.1,::1"
