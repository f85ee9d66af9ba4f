"""gunicorn settings for `make serve` and for production: `gunicorn --config config/gunicorn.conf.py`.

The app server listens on the loopback only; in production a reverse proxy (nginx, Caddy, a load balancer)
terminates TLS in front of it (README "Deployment"). Settings come from the environment, like Django's:

    PORT               the port on 127.0.0.1 (8000)
    WEB_CONCURRENCY    worker processes (2); about two per CPU core on a machine of its own
    GUNICORN_CMD_ARGS  any other gunicorn option, e.g. "--bind unix:/run/briefings.sock"; it overrides this file
"""

import gc
import os

wsgi_app = "config.wsgi:application"
bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))

# The access log (a line a request, ending with the time it took in microseconds) to stdout, gunicorn's own
# messages and Django's log to stderr: the process supervisor or container runtime keeps both.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sus'
loglevel = "info"

# A slow request is killed after 30 s; a worker is replaced after about 20,000 requests, which bounds any slow
# memory growth. Not much sooner: with the default local-memory cache each worker keeps its own stored pages, and
# a new worker starts with none (bench/RESULTS.md has what lower limits did under load).
timeout = 30
graceful_timeout = 30
max_requests = 20_000
max_requests_jitter = 2_000
# Django is imported once, in the master, and each worker is a fork of it: a replaced worker is ready at once.
# Nothing connects to the database at import time, so no connection is shared between workers.
preload_app = True


def pre_fork(server, worker):
    """What the master loaded lives as long as the server: frozen (gc.freeze(), as Python's documentation advises
    before a fork), the garbage collector stops walking it in each worker's full collections, and the pages that
    hold it stay shared between the workers instead of being copied when the collector touches them."""
    gc.freeze()


# Not used by anything here, and a shared default path would clash between two servers on one machine.
control_socket_disable = True
