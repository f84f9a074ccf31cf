"""Structured logs with structlog: one JSON object a line in production, readable lines in
development, and never a client address, user agent or referrer (SECURITY.md "Nothing that
identifies a reporter").

Both our own loggers (`structlog.get_logger(__name__)`) and the standard-library loggers of
Django and the packages go through the same chain of processors and the same renderer, so every
line has the same shape and passes the same filter. The settings build `LOGGING` with
`logging_settings` and call `configure` once (conf/base.py).

Cross-cutting, beside `transactions.py`: it imports nothing from the modules.
"""

from typing import Any

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

RENDERERS = ("json", "console")

# Keys that would carry who is on the other end of a request. Nothing of ours logs them; this
# is the net for a later `log.info(..., ip=...)` or a bound request: the key is dropped, not
# masked, so no part of the value (a /24 prefix, a browser version) is left.
CLIENT_ADDRESS_KEYS = frozenset(
    {
        "client",
        "client_addr",
        "client_address",
        "client_ip",
        "forwarded",
        "forwarded_for",
        "headers",
        "http_referer",
        "http_user_agent",
        "http_x_forwarded_for",
        "http_x_real_ip",
        "ip",
        "ip_address",
        "meta",
        "peer",
        "referer",
        "referrer",
        "remote_addr",
        "remote_address",
        "request",
        "user_agent",
        "x_forwarded_for",
        "x_real_ip",
    }
)


def drop_client_address(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """Remove every key that could hold a client address, user agent or referrer (compared
    without case, dashes as underscores: `X-Forwarded-For` is `x_forwarded_for`). A request
    object goes too: Django passes one with its `django.request` lines, and its META holds all
    three."""
    for key in list(event_dict):
        if key.lower().replace("-", "_") in CLIENT_ADDRESS_KEYS:
            del event_dict[key]
    return event_dict


def _shared_processors() -> list[Processor]:
    """What every line gets, ours and the standard library's, before it is rendered."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        drop_client_address,
    ]


def _renderer(renderer: str) -> Processor:
    """JSON for production (what a log collector parses), console lines for development."""
    if renderer not in RENDERERS:
        raise ValueError(f"LOG_FORMAT is {renderer!r}; choose one of {', '.join(RENDERERS)}")
    if renderer == "console":
        return structlog.dev.ConsoleRenderer(colors=False)
    return structlog.processors.JSONRenderer(sort_keys=True)


def configure() -> None:
    """Route structlog's loggers through the standard library, so that the handlers and levels
    of `LOGGING` apply to both; the rendering happens in the formatter."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.format_exc_info,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def formatter(renderer: str) -> dict[str, Any]:
    """The `LOGGING` formatter: standard-library records get the shared processors first (their
    `extra`, which for django.request holds the request, is never added), then everything is
    filtered once more and rendered."""
    return {
        "()": structlog.stdlib.ProcessorFormatter,
        "foreign_pre_chain": [
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
        ],
        "processors": [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            drop_client_address,
            _renderer(renderer),
        ],
    }


def logging_settings(renderer: str, level: str) -> dict[str, Any]:
    """Django's `LOGGING`: one console handler (stderr) with the structured formatter."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": formatter(renderer)},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # The development server's access log prints the client address: silence it.
            "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
            "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
            "pikepdf": {"handlers": ["console"], "level": "WARNING", "propagate": False},
            # WeasyPrint reports every layout step at INFO; the application's log is not for that.
            "weasyprint.progress": {
                "handlers": ["console"],
                "level": "WARNING",
                "propagate": False,
            },
        },
    }
