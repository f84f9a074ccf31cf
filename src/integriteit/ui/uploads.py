"""Uploads stay in memory, within the limits, and never touch the disk (issue 8 item 9).

Django's default handlers spool an upload above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary
file, in clear, before anything is encrypted. `BoundedMemoryUploadHandler` (the only handler,
FILE_UPLOAD_HANDLERS) keeps every file in memory instead, and refuses what would not fit: a file
over ATTACHMENT_MAX_BYTES, files beyond UPLOAD_MAX_REQUEST_BYTES together, or more than
ATTACHMENT_MAX_COUNT files. A refused file is not buffered: the rest of its bytes are read and
dropped, so the other fields of the form still arrive, and the form answers with a field error
while keeping what was typed (`refusal_of`).
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

REPLACEMENT_CHARACTER = "\ufffd"


class RefusedUpload(UploadedFile):
    """A file the handler did not keep: its name, the size that arrived, and why."""

    def __init__(self, name: str, size: int, reason: str, field_name: str):
        super().__init__(io.BytesIO(), name=name, size=size)
        self.reason = reason
        self.field_name = field_name

    def read(self, *args, **kwargs) -> bytes:
        raise ValueError("A refused upload has no contents.")


def refusal_of(upload) -> str | None:
    """Why the handler refused `upload`, or None when it was kept."""
    return upload.reason if isinstance(upload, RefusedUpload) else None


class BoundedMemoryUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.files_seen = 0
        self.kept_bytes = 0  # of the files kept so far in this request
        self.buffer: io.BytesIO | None = None
        self.refusal: str | None = None

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.files_seen += 1
        self.buffer, self.refusal = io.BytesIO(), None
        if REPLACEMENT_CHARACTER in str(self.file_name):
            # Django decodes an RFC 2231 file name (filename*=) with replacement characters;
            # a browser never sends one that is not UTF-8. Refused, so no garbled name is kept.
            self._refuse(_("The file name could not be read. Rename the file and try again."))
        elif self.files_seen > settings.ATTACHMENT_MAX_COUNT:
            self._refuse(
                _("At most %(max)d files can be sent at once; this one was not received.")
                % {"max": settings.ATTACHMENT_MAX_COUNT}
            )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.buffer is None:
            return None  # refused: read and dropped
        if start + len(raw_data) > settings.ATTACHMENT_MAX_BYTES:
            self._refuse(
                _("The file is larger than %(max)s.")
                % {"max": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
            )
        elif self.kept_bytes + start + len(raw_data) > settings.UPLOAD_MAX_REQUEST_BYTES:
            self._refuse(
                _("The files together are larger than %(max)s; this one was not received.")
                % {"max": filesizeformat(settings.UPLOAD_MAX_REQUEST_BYTES)}
            )
        else:
            self.buffer.write(raw_data)
        return None

    def _refuse(self, reason: str) -> None:
        self.buffer, self.refusal = None, reason

    def file_complete(self, file_size: int) -> UploadedFile:
        if self.buffer is None:
            return RefusedUpload(
                str(self.file_name), file_size, self.refusal or "", self.field_name
            )
        self.kept_bytes += file_size
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )

    def upload_interrupted(self) -> None:
        self.buffer = None
