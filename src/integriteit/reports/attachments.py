"""Checking attachments and removing their metadata before they are sealed (SECURITY.md
"Nothing that identifies a reporter"): images are re-encoded, PDF metadata and XMP are removed,
Office documents lose their core, app and custom properties; the names in comments, revisions and
annotations and the metadata of embedded pictures go too (`metadata`, issue 9 defect 5). What
could not be removed is said: other accepted types are kept as they are, and a document with an
embedded object or picture whose metadata could not be removed is marked so, and the reporter is
told before submitting.

Hostile files are refused before they cost much (issue 8 items 7 and 8): an image's size is
checked from its header before a pixel is decoded (IMAGE_MAX_PIXELS); Office and OpenDocument
archives are inflated in pieces while the bytes actually unpacked are counted
(ARCHIVE_MAX_UNPACKED_BYTES) and each member's compression ratio is watched (ARCHIVE_MAX_RATIO),
archives and images inside them included; PDF streams are copied, never decoded. Whatever error a
parser raises on a file, the reporter gets a field error saying the file could not be read.
"""

import io
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

import pikepdf
import structlog
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from lxml import etree
from PIL import Image, ImageFile, UnidentifiedImageError

from integriteit.ui.uploads import refusal_of

from . import metadata
from .constants import MetadataHandling

logger = structlog.get_logger(__name__)

OOXML_EXTENSIONS = {"docx", "xlsx", "pptx"}
ODF_EXTENSIONS = {"odt", "ods", "odp"}
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png"}
KEPT_AS_IS = {"txt", "csv", "eml", "mp3", "m4a", "wav", "mp4"}
ALLOWED_EXTENSIONS = IMAGE_EXTENSIONS | OOXML_EXTENSIONS | ODF_EXTENSIONS | KEPT_AS_IS | {"pdf"}

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "txt": "text/plain",
    "csv": "text/csv",
    "eml": "message/rfc822",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "mp4": "video/mp4",
}


class AttachmentRejected(Exception):
    """The file cannot be accepted; the message says why in the user's language."""


@dataclass(frozen=True)
class CleanFile:
    name: str
    content: bytes
    content_type: str
    metadata: MetadataHandling


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _looks_like(ext: str, head: bytes) -> bool:
    """The file's first bytes must match its extension: no disguised executables or scripts."""
    if ext == "pdf":
        return head.startswith(b"%PDF-")
    if ext in {"jpg", "jpeg"}:
        return head.startswith(b"\xff\xd8\xff")
    if ext == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in OOXML_EXTENSIONS | ODF_EXTENSIONS:
        return head.startswith(b"PK\x03\x04")
    if ext in {"txt", "csv", "eml"}:
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut off at the end of the sample is still text.
            return error.start >= len(head) - 3 or _is_latin1_text(head)
        return True
    if ext == "mp3":
        return head.startswith(b"ID3") or head[:2] in {b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"}
    if ext in {"m4a", "mp4"}:
        return head[4:8] == b"ftyp"
    if ext == "wav":
        return head.startswith(b"RIFF") and head[8:12] == b"WAVE"
    return False


def _is_latin1_text(head: bytes) -> bool:
    return all(b >= 0x20 or b in (0x09, 0x0A, 0x0D) for b in head)


def _check_pixels(size: tuple[int, int], refusal: str) -> None:
    pixels = size[0] * size[1]
    if pixels > settings.IMAGE_MAX_PIXELS:
        raise AttachmentRejected(
            refusal
            % {
                "pixels": math.ceil(pixels / 1_000_000),
                "max": settings.IMAGE_MAX_PIXELS // 1_000_000,
            }
        )


# What a cleaner returns: the file, and whether all of its metadata could be removed.
Cleaned = tuple[bytes, bool]


def _clean_image(content: bytes, ext: str) -> Cleaned:
    # WeasyPrint's import sets this for the whole process (investigations.documents sets it back);
    # a truncated image must be refused here, not completed with grey.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    image_format = "PNG" if ext == "png" else "JPEG"
    try:
        image = Image.open(io.BytesIO(content), formats=[image_format])
    except Image.DecompressionBombError as error:  # Pillow's own limit, far above ours
        raise AttachmentRejected(_("The image has too many pixels.")) from error
    with image:
        # From the header, before any pixel is decoded: a small file can describe a huge image.
        _check_pixels(
            image.size,
            _("The image has too many pixels (%(pixels)d million; at most %(max)d million)."),
        )
        image.load()
        # Re-encoding from pixels alone drops EXIF, XMP, ICC comments and text chunks.
        pixels = image.convert("RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB")
        out = io.BytesIO()
        if ext == "png":
            pixels.save(out, format="PNG")
        else:
            pixels.convert("RGB").save(out, format="JPEG", quality=90)
        return out.getvalue(), True


def _clean_pdf(content: bytes, ext: str) -> Cleaned:
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if "/Metadata" in pdf.Root:
                del pdf.Root.Metadata
            if "/Info" in pdf.trailer:
                del pdf.trailer.Info
            metadata.remove_pdf_names(pdf)
            out = io.BytesIO()
            # Streams are copied as they are, never decoded: a small compressed stream can
            # inflate to gigabytes (a PDF decompression bomb). qpdf decodes a stream to
            # compress it when its filters are not compression alone (ASCIIHex over Flate), so
            # compressing is off too: the output is as large as the file that came in.
            pdf.save(
                out,
                deterministic_id=True,
                compress_streams=False,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
            )
            return out.getvalue(), True
    except pikepdf.PasswordError as error:
        raise AttachmentRejected(_("Password-protected PDF files cannot be accepted.")) from error


_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    b'metadata/core-properties"/>'
)
_EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"/>'
)
_EMPTY_ODF_META = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'office:version="1.2"><office:meta/></office:document-meta>'
)
# Read members in pieces, so a bomb is stopped after a piece, not after inflating all of it.
READ_CHUNK = 64 * 1024
# Small members (an XML part of a few kilobytes) may compress very well; the ratio counts from here.
RATIO_CHECKED_FROM = 1024 * 1024
# An archive inside the document (an embedded spreadsheet) is checked like the document itself;
# an archive inside that one is refused.
MAX_NESTING = 1
ZIP_MAGIC = b"PK\x03\x04"
# An embedded OLE object (an old Office file, a package) has a summary with its author.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
)


def _too_large_unpacked() -> AttachmentRejected:
    return AttachmentRejected(_("The document is too large once unpacked."))


class _Unpacked:
    """The bytes actually inflated for one document, archives inside it included. Counted while
    reading: the sizes an archive declares are not trusted."""

    def __init__(self) -> None:
        self.total = 0

    def add(self, size: int) -> None:
        self.total += size
        if self.total > settings.ARCHIVE_MAX_UNPACKED_BYTES:
            raise _too_large_unpacked()


def _open_archive(content: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(content))
    if len(archive.infolist()) > settings.ARCHIVE_MAX_MEMBERS:
        raise _too_large_unpacked()
    return archive


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, unpacked: _Unpacked) -> bytes:
    if member.flag_bits & 0x1:
        raise AttachmentRejected(_("Password-protected documents cannot be accepted."))
    # ZipExtFile reads at most compress_size bytes of the archive for this member.
    ratio_limit = settings.ARCHIVE_MAX_RATIO * max(member.compress_size, 1)
    parts, size = [], 0
    with archive.open(member) as stream:
        while chunk := stream.read(READ_CHUNK):
            size += len(chunk)
            unpacked.add(len(chunk))
            if size > RATIO_CHECKED_FROM and size > ratio_limit:
                raise _too_large_unpacked()
            parts.append(chunk)
    return b"".join(parts)


def _check_embedded(data: bytes, unpacked: _Unpacked, depth: int) -> None:
    """What a document carries inside it is kept as it is, but not a way around the limits."""
    if data.startswith(ZIP_MAGIC):
        if depth >= MAX_NESTING:
            raise AttachmentRejected(
                _("The document contains archives inside archives, which cannot be accepted.")
            )
        with _open_archive(data) as nested:
            for member in nested.infolist():
                _check_embedded(_read_member(nested, member, unpacked), unpacked, depth + 1)
    elif data.startswith(IMAGE_MAGIC):
        _check_embedded_image(data)


def _check_embedded_image(data: bytes) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            size = image.size  # the header only; embedded images are never decoded here
    except Image.DecompressionBombError as error:
        raise AttachmentRejected(
            _("The document contains an image with too many pixels.")
        ) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return  # not an image Pillow reads: kept as it is, like any other part
    _check_pixels(
        size,
        _(
            "The document contains an image with too many pixels (%(pixels)d million; at most "
            "%(max)d million)."
        ),
    )


def _without_names(name: str, data: bytes) -> tuple[bytes, bool]:
    """One member of a document without the names and metadata inside it, and whether all of it
    could be removed: an embedded document or object keeps its own properties."""
    if metadata.has_names(name):
        try:
            return metadata.without_names(data), True
        except etree.XMLSyntaxError:
            return data, False
    if data.startswith(IMAGE_MAGIC):
        try:
            return metadata.picture_without_metadata(data), True
        except metadata.PictureNotCleaned:
            return data, False
    return data, not data.startswith((ZIP_MAGIC, OLE_MAGIC))


def _clean_zip_document(content: bytes, ext: str) -> Cleaned:
    unpacked = _Unpacked()
    complete = True
    out = io.BytesIO()
    with (
        _open_archive(content) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            name = member.filename
            if ext in OOXML_EXTENSIONS and name == "docProps/custom.xml":
                continue
            data = _read_member(source, member, unpacked)
            _check_embedded(data, unpacked, depth=0)
            if ext in OOXML_EXTENSIONS and name == "docProps/core.xml":
                data = _EMPTY_CORE
            elif ext in OOXML_EXTENSIONS and name == "docProps/app.xml":
                data = _EMPTY_APP
            elif ext in ODF_EXTENSIONS and name == "meta.xml":
                data = _EMPTY_ODF_META
            else:
                data, member_complete = _without_names(name, data)
                complete = complete and member_complete
            # ODF requires "mimetype" first and stored; keep each member's compression.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = member.compress_type
            target.writestr(info, data)
    return out.getvalue(), complete


# Each accepted family: how it is cleaned, and what the reporter reads when it cannot be.
_CLEANERS: dict[str, tuple[Callable[[bytes, str], Cleaned], str]] = {
    **{
        ext: (_clean_image, gettext_noop("The image could not be read."))
        for ext in IMAGE_EXTENSIONS
    },
    "pdf": (_clean_pdf, gettext_noop("The PDF file could not be read.")),
    **{
        ext: (_clean_zip_document, gettext_noop("The document could not be read."))
        for ext in OOXML_EXTENSIONS | ODF_EXTENSIONS
    },
}


def _without_metadata(content: bytes, ext: str) -> Cleaned:
    cleaner, unreadable = _CLEANERS[ext]
    try:
        return cleaner(content, ext)
    except AttachmentRejected:
        raise
    except Exception as error:
        # Parsers of hostile files fail in many ways: a bad CRC or a truncated archive
        # (BadZipFile), bad deflate data (zlib.error), an unknown compression method
        # (NotImplementedError), a truncated image (OSError), a broken PDF (PdfError), and
        # more. Each is a file that cannot be read: a field error, never a server error.
        # The kind of failure and the extension only: never the reporter's file name.
        logger.info("attachment unreadable", error=type(error).__name__, extension=ext)
        raise AttachmentRejected(_(unreadable)) from error


def clean(name: str, content: bytes) -> CleanFile:
    """Check one uploaded file and return it without metadata, or raise AttachmentRejected."""
    ext = extension_of(name)
    safe_name = PurePath(name).name[:200] or "bestand"
    if ext not in ALLOWED_EXTENSIONS:
        raise AttachmentRejected(
            _("Files of type “%(ext)s” are not accepted. Accepted: %(allowed)s.")
            % {"ext": ext or "?", "allowed": ", ".join(sorted(ALLOWED_EXTENSIONS))}
        )
    if len(content) > settings.ATTACHMENT_MAX_BYTES:
        raise AttachmentRejected(
            _("The file is larger than %(max)s.")
            % {"max": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
        )
    if not content:
        raise AttachmentRejected(_("The file is empty."))
    if not _looks_like(ext, content[:512]):
        raise AttachmentRejected(
            _("The contents of this file do not match its extension “%(ext)s”.") % {"ext": ext}
        )
    if ext not in _CLEANERS:
        return CleanFile(safe_name, content, CONTENT_TYPES[ext], MetadataHandling.NOT_REMOVABLE)
    cleaned, complete = _without_metadata(content, ext)
    handling = MetadataHandling.REMOVED if complete else MetadataHandling.PARTLY_REMOVED
    return CleanFile(safe_name, cleaned, CONTENT_TYPES[ext], handling)


def clean_upload(upload) -> CleanFile:
    """One uploaded file as the upload handler delivered it (integriteit.ui.uploads): refused
    there without being buffered, or checked and cleaned here."""
    reason = refusal_of(upload)
    if reason is not None:
        raise AttachmentRejected(reason)
    return clean(upload.name, upload.read())
