"""Malformed files and decompression bombs (issue 8 items 7, 8 and 12): each is refused with a
clear field error, quickly, and the form keeps what was typed and the files already attached.

The files are built here: a bad CRC, bad deflate data, an encrypted member, an unknown
compression method, a truncated PNG, a pixel bomb, a .docx that inflates to 190 MB, archives
nested in a document, an image bomb inside a document. "Quickly" is shown without timing: a bomb
is refused before it is decoded (the decoder is patched to fail the test if it runs) or after a
bounded number of inflated bytes (counted)."""

import binascii
import io
import struct
import zipfile
import zlib

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from PIL import Image, ImageFile

from integriteit.reports.attachments import AttachmentRejected, clean
from integriteit.reports.models import Attachment, Report
from integriteit.reports.views.reporter import DRAFT_KEY

from .test_bad_input import report_data

TYPED = "Kantine derde verdieping"  # report_data's occurred_where


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- Building the files --------------------------------------------------------------------


def _archive(members: dict[str, bytes], compress_type=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>", compress_type=zipfile.ZIP_DEFLATED)
        for name, data in members.items():
            archive.writestr(name, data, compress_type=compress_type)
    return out.getvalue()


def _headers(content: bytes, name: str) -> tuple[int, int, int]:
    """Offsets of `name`'s local header, its central directory entry, and its data."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        local = archive.getinfo(name).header_offset
    encoded = name.encode()
    central = content.index(b"PK\x01\x02")
    while content[central + 46 : central + 46 + len(encoded)] != encoded:
        central = content.index(b"PK\x01\x02", central + 4)
    name_length, extra_length = struct.unpack("<HH", content[local + 26 : local + 30])
    return local, central, local + 30 + name_length + extra_length


DOCUMENT = "word/document.xml"
TEXT = b"<w:document>" + b"Inhoud van de melding. " * 200 + b"</w:document>"


def bad_crc() -> bytes:
    content = bytearray(_archive({DOCUMENT: TEXT}))
    _local, central, _data = _headers(bytes(content), DOCUMENT)
    content[central + 16] ^= 0xFF  # the CRC-32 zipfile checks the inflated bytes against
    return bytes(content)


def bad_deflate() -> bytes:
    content = bytearray(_archive({DOCUMENT: TEXT}))
    _local, _central, data = _headers(bytes(content), DOCUMENT)
    content[data : data + 16] = b"\xff" * 16  # deflate block type 3 does not exist
    return bytes(content)


def encrypted_member() -> bytes:
    content = bytearray(_archive({DOCUMENT: TEXT}))
    local, central, _data = _headers(bytes(content), DOCUMENT)
    content[local + 6] |= 0x01  # general purpose flag bit 0: encrypted
    content[central + 8] |= 0x01
    return bytes(content)


def unknown_compression() -> bytes:
    content = bytearray(_archive({DOCUMENT: TEXT}))
    local, central, _data = _headers(bytes(content), DOCUMENT)
    content[local + 8 : local + 10] = struct.pack("<H", 97)  # WavPack: not supported
    content[central + 10 : central + 12] = struct.pack("<H", 97)
    return bytes(content)


def _png(size=(64, 64)) -> bytes:
    image = Image.frombytes("RGB", size, bytes(i % 251 for i in range(size[0] * size[1] * 3)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def truncated_png() -> bytes:
    whole = _png()
    return whole[: len(whole) // 2]


@pytest.fixture(scope="module")
def pixel_bomb() -> bytes:
    """About 20 KB on disk, 169 megapixels once decoded (the assessment's was 164 KB)."""
    out = io.BytesIO()
    Image.new("1", (13000, 13000)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def zip_bomb_docx() -> bytes:
    """Under 200 KB; one member inflates to 190 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open(DOCUMENT, "w") as member:
            zeros = b"0" * (1024 * 1024)
            for _ in range(190):
                member.write(zeros)
    return out.getvalue()


@pytest.fixture
def inflated(monkeypatch) -> list[int]:
    """The bytes zipfile inflates, counted as they are read."""
    counted: list[int] = []
    read = zipfile.ZipExtFile.read

    def counting(self, n=-1):
        data = read(self, n)
        counted.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    return counted


@pytest.fixture
def decoding_fails(monkeypatch):
    """Decoding pixels fails the test: a bomb must be refused from its header."""

    def decoded(self):
        pytest.fail("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decoded)


# --- Malformed files: a clear refusal, never a server error ---------------------------------


MALFORMED = [
    ("bad-crc.docx", bad_crc, "The document could not be read."),
    ("bad-deflate.docx", bad_deflate, "The document could not be read."),
    ("encrypted.docx", encrypted_member, "Password-protected documents cannot be accepted."),
    ("unknown-method.xlsx", unknown_compression, "The document could not be read."),
    ("bad-crc.odt", bad_crc, "The document could not be read."),
    ("truncated.png", truncated_png, "The image could not be read."),
    (
        "broken.pdf",
        lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog",
        "The PDF file could not be read.",
    ),
]


@pytest.mark.parametrize(("name", "build", "message"), MALFORMED)
def test_malformed_file_refused(name, build, message):
    with pytest.raises(AttachmentRejected) as refused:
        clean(name, build())
    assert str(refused.value) == message


def test_truncated_image_refused_even_after_weasyprint_turned_on_truncated_loading(monkeypatch):
    # What `import weasyprint` does to the whole process (weasyprint/images.py).
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(AttachmentRejected, match="image could not be read"):
        clean("truncated.png", truncated_png())
    clean("whole.png", _png())  # a whole image is still fine


def test_rendering_a_pdf_leaves_truncated_loading_off():
    from integriteit.figures import exports

    pdf = exports.render_pdf("<html><body><p>Onderzoeksrapport</p></body></html>")
    assert pdf.startswith(b"%PDF-")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


# --- Decompression bombs: refused quickly, with a clear message -----------------------------


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_pixel_bomb_refused_from_its_header(pixel_bomb, decoding_fails):
    assert len(pixel_bomb) < 200_000
    with pytest.raises(AttachmentRejected) as refused:
        clean("scherm.png", pixel_bomb)
    assert str(refused.value) == (
        "The image has too many pixels (169 million; at most 50 million)."
    )


def test_pixel_limit_is_a_setting(settings):
    settings.IMAGE_MAX_PIXELS = 64 * 64
    clean("precies.png", _png((64, 64)))
    with pytest.raises(AttachmentRejected, match="too many pixels"):
        clean("groter.png", _png((65, 64)))


def test_zip_bomb_docx_refused_after_a_bounded_read(settings, zip_bomb_docx, inflated):
    assert len(zip_bomb_docx) < 200_000
    with pytest.raises(AttachmentRejected, match="too large once unpacked"):
        clean("bom.docx", zip_bomb_docx)
    # Stopped once the member had inflated to ARCHIVE_MAX_RATIO times its compressed size
    # (about 19 MB), long before its 190 MB.
    assert sum(inflated) <= settings.ARCHIVE_MAX_RATIO * len(zip_bomb_docx) + 64 * 1024
    assert sum(inflated) < 190 * 1024 * 1024 // 5


def test_unpacked_size_counted_while_reading_not_taken_from_the_archive(settings, inflated):
    settings.ARCHIVE_MAX_RATIO = 10_000  # only the unpacked-size limit applies here
    settings.ARCHIVE_MAX_UNPACKED_BYTES = 3 * 1024 * 1024
    # Each member compresses well but not suspiciously; together they pass the limit.
    noise = bytes(range(256)) * 4096  # 1 MiB
    content = _archive({f"word/media/part{i}.bin": noise for i in range(5)})
    with pytest.raises(AttachmentRejected, match="too large once unpacked"):
        clean("veel.docx", content)
    assert sum(inflated) <= settings.ARCHIVE_MAX_UNPACKED_BYTES + 64 * 1024


def test_archive_inside_a_document_counts_and_is_checked(settings):
    settings.ARCHIVE_MAX_UNPACKED_BYTES = 1024 * 1024
    zeros_inside = _archive({"xl/worksheets/sheet1.xml": b"0" * (2 * 1024 * 1024)})
    document = _archive(
        {DOCUMENT: TEXT, "word/embeddings/Werkblad.xlsx": zeros_inside},
        compress_type=zipfile.ZIP_STORED,
    )
    with pytest.raises(AttachmentRejected, match="too large once unpacked"):
        clean("met-werkblad.docx", document)


def test_archive_nested_twice_is_refused():
    innermost = _archive({"a.xml": b"<a/>"})
    inner = _archive({"word/embeddings/binnen.zip": innermost})
    document = _archive({DOCUMENT: TEXT, "word/embeddings/buiten.xlsx": inner})
    with pytest.raises(AttachmentRejected, match="archives inside archives"):
        clean("genest.docx", document)
    # One level (an embedded spreadsheet) is an ordinary document.
    ordinary = _archive({DOCUMENT: TEXT, "word/embeddings/Werkblad.xlsx": innermost})
    with zipfile.ZipFile(io.BytesIO(clean("gewoon.docx", ordinary).content)) as archive:
        assert archive.read("word/embeddings/Werkblad.xlsx") == innermost


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_pixel_bomb_inside_a_document_is_refused(pixel_bomb, decoding_fails):
    document = _archive({DOCUMENT: TEXT, "word/media/image1.png": pixel_bomb})
    with pytest.raises(AttachmentRejected, match="contains an image with too many pixels"):
        clean("met-plaatje.docx", document)


def test_pdf_streams_are_copied_not_inflated():
    """A stream of zeros, deflated and then hex-encoded: qpdf's defaults decode it (both
    filters) to compress it again; 20 MB here, gigabytes in a real bomb."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    raw = binascii.hexlify(zlib.compress(b"0" * (20 * 1024 * 1024), 9)) + b">"
    stream = pikepdf.Stream(pdf, raw)
    stream.Filter = pikepdf.Array([pikepdf.Name.ASCIIHexDecode, pikepdf.Name.FlateDecode])
    pdf.Root.Bijlage = pdf.make_indirect(stream)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    cleaned = clean("bom.pdf", out.getvalue())
    with pikepdf.open(io.BytesIO(cleaned.content)) as result:
        # The raw bytes are the original ones: nothing was decoded and encoded again.
        assert result.Root.Bijlage.read_raw_bytes() == raw
        assert len(result.Root.Bijlage.Filter) == 2


# --- Through the report form: a field error, and nothing typed or attached is lost ----------


def _errors(response) -> list[str]:
    return list(response.context["form"].errors.get("attachments", []))


@pytest.mark.parametrize(("name", "build", "message"), MALFORMED)
def test_report_form_answers_a_malformed_file_with_a_field_error(people, name, build, message):
    upload = SimpleUploadedFile(name, build())
    response = Client().post("/en/melden/bzk/", report_data(attachments=[upload]))
    assert response.status_code == 200
    assert _errors(response) == [f"{name}: {message}"]
    page = response.content.decode()
    assert escape(f"{name}: {message}") in page
    assert TYPED in page and "voorjaar 2026" in page
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_report_form_keeps_the_draft_and_its_files_when_bombs_arrive(
    people, pixel_bomb, zip_bomb_docx
):
    client = Client()
    first = SimpleUploadedFile("eerste-bewijs.txt", b"eerste bewijs")
    assert client.post("/en/melden/bzk/", report_data(attachments=[first])).status_code == 302
    draft = Report.objects.get(pk=client.session[DRAFT_KEY])

    bombs = [
        SimpleUploadedFile("scherm.png", pixel_bomb),
        SimpleUploadedFile("bom.docx", zip_bomb_docx),
        SimpleUploadedFile("kapot.docx", bad_deflate()),
    ]
    response = client.post(
        "/en/melden/bzk/", report_data(description="Nieuwe uitleg.", attachments=bombs)
    )
    assert response.status_code == 200
    errors = _errors(response)
    assert [error.split(":")[0] for error in errors] == ["scherm.png", "bom.docx", "kapot.docx"]
    page = response.content.decode()
    assert "Nieuwe uitleg." in page and TYPED in page
    assert "eerste-bewijs.txt" in page  # "Already added"
    assert [name for _a, name in response.context["draft_files"]] == ["eerste-bewijs.txt"]
    assert draft.attachments.count() == 1
    assert Report.objects.count() == 1
