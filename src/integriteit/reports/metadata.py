"""Names and metadata inside the parts of a document (issue 9 defect 5), beyond its properties.

`attachments` empties a document's core, app and custom properties; names also survive in
comments, tracked changes and the people who wrote them, and in the EXIF, XMP and IPTC of the
pictures embedded in a document. This module removes those:

- XML parts of Office and OpenDocument files: author, initials, user and provider ids of comments,
  revisions and their people lists (`word/comments.xml`, `word/people.xml`, tracked changes in any
  `word/` part, `xl/comments*.xml`, `xl/persons/`, `xl/threadedComments/`, shared-workbook
  revisions, `ppt/commentAuthors.xml`, `ppt/authors.xml`; `dc:creator` in OpenDocument content),
  and the path of the template a document was made from (`C:/Users/<name>/...`).
- Embedded JPEG and PNG pictures: metadata segments and chunks are dropped without decoding a
  pixel (APP1 EXIF/XMP, APP13 IPTC, comments; PNG text, EXIF and time chunks). TIFF pictures are
  re-encoded from pixels, within the same pixel limit as uploads.
- PDF: the author (/T) of annotations other than form fields (a form field's /T is its name),
  the XMP stream of any object, Illustrator's private data, and the signer's name in signatures.

Each function says whether it could do all of it: a picture it cannot read, or a kind it does
not know, leaves the file marked "could not be fully removed", so the reporter is told before
submitting (SECURITY.md "Attachments").
"""

import io
import struct

import pikepdf
from lxml import etree
from PIL import Image

# Attribute local names that hold a person: w:author, w:initials, w15:userId, providerId, x:userName.
NAME_ATTRIBUTES = {"author", "initials", "userId", "providerId", "userName", "displayName"}
# Elements whose "name" attribute is a person (PowerPoint's comment authors).
PERSON_ELEMENTS = {"cmAuthor", "author", "person"}
# Elements whose text is a person: a spreadsheet's comment authors, OpenDocument's dc:creator.
PERSON_TEXT = {
    "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}author",
    "{http://purl.org/dc/elements/1.1/}creator",
    "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}initials",
    "{urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0}sender-initials",
}
# Elements removed whole: Word's presence info holds the author's e-mail address.
DROPPED = {"presenceInfo"}
# Only parts that contain one of these are parsed; others are kept byte for byte.
TRIGGERS = (
    b"author",
    b"initials",
    b"userId",
    b"userName",
    b"displayName",
    b"creator",
    b"person",
    b"attachedTemplate",
)
# A relationship to the template on the author's disk: its path names the author's account.
TEMPLATE_RELATIONSHIP = "/attachedTemplate"
OFFICE_FOLDERS = ("word/", "xl/", "ppt/")
ODF_PARTS = {"content.xml", "styles.xml"}

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False
)


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def has_names(part: str) -> bool:
    """Whether `part` of an Office or OpenDocument archive is an XML part that may hold names."""
    if part.startswith(OFFICE_FOLDERS) and part.endswith(".rels"):
        return True
    if not part.endswith(".xml"):
        return False
    return part.startswith(OFFICE_FOLDERS) or part in ODF_PARTS


def without_names(data: bytes) -> bytes:
    """The XML part with every person's name, initials and ids emptied."""
    if not any(trigger in data for trigger in TRIGGERS):
        return data
    root = etree.fromstring(data, _PARSER)
    for element in list(root.iter()):
        local = _local(element.tag)
        if local in DROPPED:
            element.getparent().remove(element)
            continue
        for attribute in element.attrib:
            name = etree.QName(attribute).localname
            if name in NAME_ATTRIBUTES or (name == "name" and local in PERSON_ELEMENTS):
                element.set(attribute, "")
        if local == "Relationship" and element.get("Type", "").endswith(TEMPLATE_RELATIONSHIP):
            element.set("Target", "")
        if element.tag in PERSON_TEXT:
            element.text = ""
            for child in list(element):
                element.remove(child)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- Pictures ---------------------------------------------------------------------------------

JPEG_START = b"\xff\xd8"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TIFF_MAGIC = (b"II*\x00", b"MM\x00*")
# Kept: JFIF (APP0), the colour profile (APP2 "ICC_PROFILE") and Adobe's colour transform (APP14),
# without which a CMYK picture decodes wrongly. Every other APPn and comment goes.
JPEG_KEPT_APP = {0xE0: b"JFIF", 0xE2: b"ICC_PROFILE", 0xEE: b"Adobe"}
JPEG_COMMENT = 0xFE
JPEG_START_OF_SCAN = 0xDA
PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


class PictureNotCleaned(Exception):
    """A picture whose metadata could not be removed: kept, and the file marked as such."""


def _dropped_jpeg_segment(marker: int, body: bytes) -> bool:
    if marker == JPEG_COMMENT:
        return True
    if not 0xE0 <= marker <= 0xEF:
        return False  # tables and frame headers: the picture itself
    signature = JPEG_KEPT_APP.get(marker)
    return signature is None or not body.startswith(signature)


def _jpeg_without_metadata(data: bytes) -> bytes:
    out, pos = bytearray(JPEG_START), 2
    while True:
        if pos + 4 > len(data) or data[pos] != 0xFF:
            raise PictureNotCleaned("JPEG segment expected")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == JPEG_START_OF_SCAN:
            return bytes(out + data[pos:])  # the compressed picture and what follows, as it is
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        segment = data[pos : pos + 2 + length]
        if length < 2 or len(segment) < 2 + length:
            raise PictureNotCleaned("JPEG segment cut off")
        if not _dropped_jpeg_segment(marker, segment[4:]):
            out += segment
        pos += 2 + length


def _png_without_metadata(data: bytes) -> bytes:
    out, pos = bytearray(PNG_SIGNATURE), len(PNG_SIGNATURE)
    while pos < len(data):
        if pos + 12 > len(data):
            raise PictureNotCleaned("PNG chunk cut off")
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise PictureNotCleaned("PNG chunk cut off")
        if kind not in PNG_DROPPED:
            out += data[pos:end]
        pos = end
        if kind == b"IEND":
            return bytes(out)
    raise PictureNotCleaned("PNG without end")


def _tiff_without_metadata(data: bytes) -> bytes:
    """TIFF keeps metadata in the same directories as the picture: re-encoded from pixels (the
    caller checked the pixel count from the header)."""
    try:
        with Image.open(io.BytesIO(data), formats=["TIFF"]) as image:
            image.load()
            out = io.BytesIO()
            image.save(out, format="TIFF", compression="tiff_deflate")
            return out.getvalue()
    except (OSError, ValueError, SyntaxError) as error:
        raise PictureNotCleaned("TIFF not readable") from error


def picture_without_metadata(data: bytes) -> bytes:
    """A picture embedded in a document without its metadata; PictureNotCleaned when it is a
    picture whose metadata this cannot remove (GIF, WebP, a damaged file)."""
    if data.startswith(JPEG_START + b"\xff"):
        return _jpeg_without_metadata(data)
    if data.startswith(PNG_SIGNATURE):
        return _png_without_metadata(data)
    if data.startswith(TIFF_MAGIC):
        return _tiff_without_metadata(data)
    if data.startswith((b"GIF87a", b"GIF89a")) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        raise PictureNotCleaned("no metadata removal for this picture format")
    return data  # BMP and vector formats (EMF, WMF) carry no EXIF or XMP


# --- PDF --------------------------------------------------------------------------------------

# A form field's /T is its name, not a person; every other annotation's /T is its author.
FORM_FIELD = pikepdf.Name("/Widget")
SIGNATURE = pikepdf.Name("/Sig")
SIGNER_KEYS = ("/Name", "/ContactInfo", "/Location", "/Reason")


def _clean_annotations(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            if not isinstance(annotation, pikepdf.Dictionary):
                continue
            if annotation.get("/Subtype") != FORM_FIELD and "/T" in annotation:
                del annotation["/T"]


def _clean_objects(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        for key in ("/Metadata", "/PieceInfo"):
            if key in obj:
                del obj[key]
        if obj.get("/Type") == SIGNATURE:
            for key in SIGNER_KEYS:
                if key in obj:
                    del obj[key]


def remove_pdf_names(pdf: pikepdf.Pdf) -> None:
    """Annotation authors, XMP on any object, private application data and signers' names."""
    _clean_annotations(pdf)
    _clean_objects(pdf)
