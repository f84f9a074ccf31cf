"""Checking attachments and removing their metadata before they are sealed (SECURITY.md
"Nothing that identifies a reporter"): images are re-encoded, PDF metadata and XMP are removed,
Office documents lose their core, app and custom properties. Other accepted types are kept as
they are, and the reporter is told so before submitting.
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import pikepdf
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from integriteit.ui.uploads import refusal_of

from .constants import MetadataHandling

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


def metadata_removable(name: str) -> bool:
    ext = extension_of(name)
    return ext in IMAGE_EXTENSIONS | OOXML_EXTENSIONS | ODF_EXTENSIONS | {"pdf"}


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


def _clean_image(content: bytes, ext: str) -> bytes:
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            # Re-encoding from pixels alone drops EXIF, XMP, ICC comments and text chunks.
            pixels = image.convert("RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB")
            out = io.BytesIO()
            if ext == "png":
                pixels.save(out, format="PNG")
            else:
                pixels.convert("RGB").save(out, format="JPEG", quality=90)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise AttachmentRejected(_("The image could not be read.")) from error


def _clean_pdf(content: bytes) -> bytes:
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if "/Metadata" in pdf.Root:
                del pdf.Root.Metadata
            if "/Info" in pdf.trailer:
                del pdf.trailer.Info
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
            return out.getvalue()
    except pikepdf.PasswordError as error:
        raise AttachmentRejected(_("Password-protected PDF files cannot be accepted.")) from error
    except pikepdf.PdfError as error:
        raise AttachmentRejected(_("The PDF file could not be read.")) from error


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
MAX_ARCHIVE_MEMBERS = 5000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def _clean_zip_document(content: bytes, ext: str) -> bytes:
    try:
        source = zipfile.ZipFile(io.BytesIO(content))
        members = source.infolist()
    except zipfile.BadZipFile as error:
        raise AttachmentRejected(_("The document could not be read.")) from error
    if len(members) > MAX_ARCHIVE_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise AttachmentRejected(_("The document is too large once unpacked."))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in members:
            name = member.filename
            if ext in OOXML_EXTENSIONS and name == "docProps/custom.xml":
                continue
            data = source.read(member)
            if ext in OOXML_EXTENSIONS and name == "docProps/core.xml":
                data = _EMPTY_CORE
            elif ext in OOXML_EXTENSIONS and name == "docProps/app.xml":
                data = _EMPTY_APP
            elif ext in ODF_EXTENSIONS and name == "meta.xml":
                data = _EMPTY_ODF_META
            # ODF requires "mimetype" first and stored; keep each member's compression.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = member.compress_type
            target.writestr(info, data)
    return out.getvalue()


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
    if ext in IMAGE_EXTENSIONS:
        cleaned, handling = _clean_image(content, ext), MetadataHandling.REMOVED
    elif ext == "pdf":
        cleaned, handling = _clean_pdf(content), MetadataHandling.REMOVED
    elif ext in OOXML_EXTENSIONS | ODF_EXTENSIONS:
        cleaned, handling = _clean_zip_document(content, ext), MetadataHandling.REMOVED
    else:
        cleaned, handling = content, MetadataHandling.NOT_REMOVABLE
    return CleanFile(safe_name, cleaned, CONTENT_TYPES[ext], handling)


def clean_upload(upload) -> CleanFile:
    """One uploaded file as the upload handler delivered it (integriteit.ui.uploads): refused
    there without being buffered, or checked and cleaned here."""
    reason = refusal_of(upload)
    if reason is not None:
        raise AttachmentRejected(reason)
    return clean(upload.name, upload.read())
