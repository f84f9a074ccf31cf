"""Attachments lose their metadata and disguised or dangerous files are refused (SECURITY.md)."""

import io
import zipfile

import pikepdf
import pytest
from django.utils import translation
from PIL import Image, PngImagePlugin
from PIL.PngImagePlugin import PngImageFile

from integriteit.reports.attachments import AttachmentRejected, clean
from integriteit.reports.constants import MetadataHandling

REPORTER_NAME = "Jan Klokkenluider"


@pytest.fixture(autouse=True)
def _english():
    """Refusal reasons are matched in English; the site itself speaks Dutch by default."""
    with translation.override("en"):
        yield


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (16, 16), (200, 10, 10))
    exif = Image.Exif()
    exif[0x013B] = REPORTER_NAME  # Artist
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (52.0, 5.0, 0.0), 3: "E", 4: (4.0, 18.0, 0.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_jpeg_loses_exif():
    original = _jpeg_with_exif()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get(0x013B) == REPORTER_NAME  # the fixture really has EXIF
    result = clean("foto.jpg", original)
    assert result.metadata == MetadataHandling.REMOVED
    assert result.content_type == "image/jpeg"
    assert REPORTER_NAME.encode() not in result.content
    with Image.open(io.BytesIO(result.content)) as image:
        exif = image.getexif()
        assert len(exif) == 0
        assert not exif.get_ifd(0x8825)
        assert "exif" not in image.info
        assert image.size == (16, 16)


def test_png_loses_text_chunks():
    image = Image.new("RGBA", (8, 8), (0, 0, 255, 128))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", REPORTER_NAME)
    info.add_itxt("Comment", "Geheime opmerking")
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    assert REPORTER_NAME.encode() in out.getvalue()
    result = clean("scherm.png", out.getvalue())
    assert result.metadata == MetadataHandling.REMOVED
    assert REPORTER_NAME.encode() not in result.content
    assert b"tEXt" not in result.content and b"iTXt" not in result.content
    with Image.open(io.BytesIO(result.content)) as cleaned:
        assert isinstance(cleaned, PngImageFile)
        assert not cleaned.text
        assert cleaned.size == (8, 8)


def _pdf_with_metadata() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.docinfo["/Author"] = REPORTER_NAME
    pdf.docinfo["/Title"] = "Intern memo"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [REPORTER_NAME]
        meta["xmp:CreatorTool"] = "Writer of Jan"
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_pdf_loses_info_and_xmp():
    original = _pdf_with_metadata()
    with pikepdf.open(io.BytesIO(original)) as pdf:
        assert str(pdf.docinfo["/Author"]) == REPORTER_NAME
        assert "/Metadata" in pdf.Root
    result = clean("memo.pdf", original)
    assert result.metadata == MetadataHandling.REMOVED
    assert result.content_type == "application/pdf"
    assert REPORTER_NAME.encode() not in result.content
    with pikepdf.open(io.BytesIO(result.content)) as pdf:
        assert "/Metadata" not in pdf.Root
        assert "/Author" not in pdf.docinfo
        assert len(pdf.pages) == 1


def _docx(extra_members: int = 0) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Inhoud van de melding</w:document>")
        archive.writestr(
            "docProps/core.xml",
            '<cp:coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator>{REPORTER_NAME}</dc:creator>"
            f"<cp:lastModifiedBy>{REPORTER_NAME}</cp:lastModifiedBy></cp:coreProperties>",
        )
        archive.writestr(
            "docProps/app.xml", "<Properties><Company>Ministerie van Jan</Company></Properties>"
        )
        archive.writestr(
            "docProps/custom.xml", "<Properties><property>Afdeling X</property></Properties>"
        )
        for index in range(extra_members):
            archive.writestr(f"word/media/m{index}.bin", b"")
    return out.getvalue()


def test_docx_loses_core_app_and_custom_properties():
    result = clean("verslag.docx", _docx())
    assert result.metadata == MetadataHandling.REMOVED
    with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
        names = archive.namelist()
        assert "docProps/custom.xml" not in names
        core = archive.read("docProps/core.xml")
        app = archive.read("docProps/app.xml")
        assert REPORTER_NAME.encode() not in core
        assert b"Ministerie van Jan" not in app
        # The document itself is kept.
        assert archive.read("word/document.xml") == (
            b"<w:document>Inhoud van de melding</w:document>"
        )
        for name in names:
            assert REPORTER_NAME.encode() not in archive.read(name)


def test_odt_meta_emptied_and_mimetype_first():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text"
        )  # stored
        archive.writestr(
            "meta.xml",
            f"<office:document-meta><meta:initial-creator>{REPORTER_NAME}"
            "</meta:initial-creator></office:document-meta>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        archive.writestr("content.xml", "<office:document-content/>")
    result = clean("notitie.odt", out.getvalue())
    assert result.metadata == MetadataHandling.REMOVED
    with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        meta = archive.read("meta.xml")
        assert REPORTER_NAME.encode() not in meta
        assert b"<office:meta/>" in meta


def test_text_kept_and_marked_not_removable():
    content = "Aantekeningen: vergadering 3 mei, één factuur dubbel.\n".encode()
    result = clean("notities.txt", content)
    assert result.content == content
    assert result.metadata == MetadataHandling.NOT_REMOVABLE
    assert result.content_type == "text/plain"


def test_name_is_reduced_to_its_base_name():
    assert clean("../../etc/notities.txt", b"tekst").name == "notities.txt"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("image.jpg", b"%PDF-1.7\n%fake pdf\n"),
        ("image.jpg", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64),
        ("image.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),
        ("document.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("scherm.png", b"\xff\xd8\xff\xe0 not really a png"),
        ("verslag.docx", b"%PDF-1.4 not a zip"),
        ("notities.txt", b"MZ\x00\x00\x00binary\x00\x00"),
    ],
)
def test_disguised_files_rejected(name, content):
    with pytest.raises(AttachmentRejected, match="do not match"):
        clean(name, content)


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "drawing.svg", "script.js", "noext"])
def test_forbidden_types_rejected(name):
    with pytest.raises(AttachmentRejected, match="not accepted"):
        clean(name, b"<svg onload=alert(1)>")


def test_empty_file_rejected():
    with pytest.raises(AttachmentRejected, match="empty"):
        clean("leeg.txt", b"")


def test_oversize_rejected(settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    clean("klein.txt", b"x" * 100)  # exactly at the limit is fine
    with pytest.raises(AttachmentRejected, match="larger than"):
        clean("groot.txt", b"x" * 101)


def test_broken_image_rejected():
    with pytest.raises(AttachmentRejected, match="image could not be read"):
        clean("kapot.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100)


def test_docx_with_too_many_members_rejected(settings):
    settings.ARCHIVE_MAX_MEMBERS = 50
    clean("ok.docx", _docx(extra_members=40))
    with pytest.raises(AttachmentRejected, match="too large once unpacked"):
        clean("bom.docx", _docx(extra_members=60))


def test_docx_with_real_member_limit_rejected(settings):
    with pytest.raises(AttachmentRejected, match="too large once unpacked"):
        clean("bom.docx", _docx(extra_members=settings.ARCHIVE_MAX_MEMBERS))


def test_docx_claiming_huge_unpacked_size_rejected(settings):
    settings.ARCHIVE_MAX_UNPACKED_BYTES = 10_000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * 50_000)  # compresses to almost nothing
    assert len(out.getvalue()) < 10_000
    with pytest.raises(AttachmentRejected, match="too large once unpacked"):
        clean("bom.docx", out.getvalue())
