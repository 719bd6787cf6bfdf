"""gunicorn settings for renda (installed as /etc/renda/gunicorn.conf.py, read by renda-web.service).

Command-line options override these, e.g. `--bind unix:/run/renda/web.sock`.
"""

import os

# Only the reverse proxy on this machine talks to gunicorn; nginx terminates HTTPS.
bind = os.environ.get("RENDA_BIND", "127.0.0.1:8000")

# Synchronous workers: a request holds a worker for its whole length, including its database
# queries, so two per core plus one keeps the cores busy while others wait on PostgreSQL.
# sched_getaffinity counts the cores this service may use, not the machine's.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * len(os.sched_getaffinity(0)) + 1))

# A Word or Excel export of the export cap (RENDA_EXPORT_ROW_CAP rows) is the longest request;
# nginx's proxy_read_timeout in deploy/nginx/renda.conf is a little longer than this.
timeout = 120
graceful_timeout = 30
keepalive = 5

# Replacing each worker now and then bounds the memory a long-lived process can gather.
max_requests = 2000
max_requests_jitter = 200

# To standard output and error: systemd's journal keeps them (journalctl -u renda-web).
accesslog = "-"
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
