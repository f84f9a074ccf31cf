"""gunicorn configuration for every deployment (docs/deployment.md "Application server").

    cd /srv/integriteit
    gunicorn integriteit.wsgi --chdir src -c src/integriteit/conf/gunicorn.py \\
        --bind unix:/run/integriteit/gunicorn.sock

The path is relative to the directory gunicorn starts in: it reads this file before it applies
`--chdir`. Settings given on the command line override the ones here; the bind address belongs
on the command line, the rest are the safe defaults. Loading this module also stops
gunicorn from announcing itself in a `Server` header (issue 8 item 12).
"""

from gunicorn.http import wsgi

# Loopback unless the command line says otherwise: the reverse proxy is the only peer, so
# gunicorn's own warnings ("Invalid request from ip=…") name the proxy, never a reporter.
bind = ["127.0.0.1:8000"]
workers = 4
worker_class = "gthread"
threads = 4
timeout = 60

# No access log: it would hold client addresses, user agents and referrers (SECURITY.md
# "Nothing that identifies a reporter"). Should someone add `--access-logfile` all the same,
# the format has none of those and no query string: time, method, path, status, size, duration.
accesslog = None
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(L)s'
errorlog = "-"
loglevel = "error"

# gunicorn 25+ opens a control socket for `gunicornc` in the user's home by default; we do not
# use it, and two servers of one user would fight over the same path.
control_socket_disable = True
# HTTP/1.1 only: the proxy speaks HTTP/1.1 to us, and the header removal below is for HTTP/1
# responses (gunicorn's HTTP/2 writer adds its own `server` header).
http_protocols = "h1"


def _without_server_header(default_headers):
    def headers(response) -> list[str]:
        return [line for line in default_headers(response) if not line.startswith("Server:")]

    headers.integriteit_no_server_header = True  # type: ignore[attr-defined]
    return headers


# gunicorn writes "Server: gunicorn" in Response.default_headers and has no setting for it
# (gunicorn/http/wsgi.py). It tells an attacker which server's advisories to try; drop the line.
# Loading a config file twice (gunicorn re-reads it on HUP) must not wrap it twice.
if not getattr(wsgi.Response.default_headers, "integriteit_no_server_header", False):
    wsgi.Response.default_headers = _without_server_header(wsgi.Response.default_headers)
