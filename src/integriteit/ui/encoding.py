"""Form data that is not valid UTF-8 is refused, never stored garbled (issue 8 item 12).

Django decodes form fields with replacement characters: invalid bytes become "\ufffd" and the
mojibake is stored as if the user had typed it. A browser never sends invalid UTF-8 for our
pages (they are UTF-8), so such a request is refused with a clear page in the user's language,
before any view reads it:

- the query string and an urlencoded body are checked as Django's own parser reads them,
  but strictly;
- a multipart body is parsed by Django with a strict UTF-8 codec (field names, values and file
  names), so an invalid byte stops the parse instead of being replaced. File contents are bytes
  and are not decoded.

Form data over Django's limits (DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS,
DATA_UPLOAD_MAX_NUMBER_FILES) gets the same clear page instead of Django's bare 400.
"""

import codecs
from urllib.parse import parse_qsl

from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _
from typing_extensions import Buffer

STRICT_UTF8 = "integriteit_strict_utf_8"


def _decode_strictly(data: Buffer, errors: str = "strict", /) -> tuple[str, int]:
    """UTF-8 that ignores the caller's `errors`: Django's parser asks for "replace"."""
    return codecs.utf_8_decode(data, "strict", True)


def _find_codec(name: str) -> codecs.CodecInfo | None:
    if name != STRICT_UTF8:
        return None
    return codecs.CodecInfo(codecs.utf_8_encode, _decode_strictly, name=STRICT_UTF8)


codecs.register(_find_codec)


def _check_urlencoded(raw: bytes) -> None:
    """Raise UnicodeDecodeError unless `raw` decodes as UTF-8, escaped bytes included."""
    parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")


def _refusal(request) -> str | None:
    try:
        _check_urlencoded(get_bytes_from_wsgi(request.META, "QUERY_STRING", ""))
        if request.method != "POST":
            return None
        if request.content_type == "multipart/form-data":
            request.encoding = STRICT_UTF8
        request.POST  # noqa: B018 (parsed here, within Django's limits, before any view)
        if request.content_type == "application/x-www-form-urlencoded":
            _check_urlencoded(request.body)
    except (UnicodeDecodeError, MultiPartParserError, BadRequest):  # BadRequest: not UTF-8
        return _("The form contained data that is not valid text, so it could not be read.")
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        return _("The form was larger than we can accept: too much text or too many files.")
    return None


class StrictFormEncodingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = _refusal(request)
        if reason is not None:
            return render(request, "ui/bad_request.html", {"reason": reason}, status=400)
        return self.get_response(request)
