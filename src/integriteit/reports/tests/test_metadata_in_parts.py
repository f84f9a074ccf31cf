"""Names inside documents go, or the reporter is told they could not (issue 9 defect 5).

Before, only a document's properties were emptied and every Office or PDF file was marked
"Metadata removed": comment authors in .docx, .xlsx and .pptx, the EXIF of pictures inside them
and PDF annotation authors survived. Each test builds a real file with those fields.
"""

import io
import zipfile

import docx
import openpyxl
import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from openpyxl.comments import Comment
from PIL import Image, PngImagePlugin

from integriteit.reports.attachments import clean
from integriteit.reports.constants import MetadataHandling
from integriteit.reports.views.reporter import metadata_warning

from .test_bad_input import report_data

NAME = "Jan Jansen"
INITIALS = "JJ"
MAIL = "jan.jansen@example.org"
PLACE = "Kantine derde verdieping"


def _jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x013B] = NAME  # Artist
    exif[0x010E] = PLACE  # ImageDescription
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(out, format="JPEG", exif=exif.tobytes(), comment=NAME)
    return out.getvalue()


def _png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", NAME)
    info.add_itxt("Description", PLACE)
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _with_members(document: bytes, members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(document)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename not in members:
                target.writestr(item, source.read(item))
        for name, data in members.items():
            target.writestr(name, data)
    return out.getvalue()


def _all_bytes(document: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        return b"".join(archive.read(item) for item in archive.infolist())


def _names_gone(data: bytes) -> None:
    for secret in (NAME, MAIL, PLACE, "Jansen"):
        assert secret.encode() not in data, secret


PEOPLE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
    f'<w15:person w15:author="{NAME}"><w15:presenceInfo w15:providerId="AD" '
    f'w15:userId="{MAIL}"/></w15:person></w15:people>'
).encode()


def _docx() -> bytes:
    document = docx.Document()
    document.core_properties.author = NAME
    paragraph = document.add_paragraph("Zie de bijlage.")
    document.add_comment(paragraph.runs, text="Klopt dit?", author=NAME, initials=INITIALS)
    document.add_picture(io.BytesIO(_jpeg_with_exif()))
    out = io.BytesIO()
    document.save(out)
    return _with_members(out.getvalue(), {"word/people.xml": PEOPLE_XML})


def test_docx_loses_comment_authors_people_and_picture_exif():
    original = _docx()
    assert NAME.encode() in _all_bytes(original)  # the fields are really there
    result = clean("verslag.docx", original)
    assert result.metadata == MetadataHandling.REMOVED
    _names_gone(_all_bytes(result.content))
    cleaned = docx.Document(io.BytesIO(result.content))  # still a document Word opens
    assert [c.text for c in cleaned.comments] == ["Klopt dit?"]
    assert {c.author for c in cleaned.comments} == {""}
    with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
        picture = next(n for n in archive.namelist() if n.startswith("word/media/"))
        with Image.open(io.BytesIO(archive.read(picture))) as image:
            image.load()  # still a picture
            assert not image.getexif() and "comment" not in image.info


def test_tracked_changes_lose_their_author():
    revision = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:body><w:p><w:ins w:id="1" w:author="{NAME}" w:date="2026-03-02T09:00:00Z">'
        "<w:r><w:t>nieuw</w:t></w:r></w:ins></w:p></w:body></w:document>"
    ).encode()
    result = clean("verslag.docx", _with_members(_docx(), {"word/document.xml": revision}))
    _names_gone(_all_bytes(result.content))
    assert b"nieuw" in _all_bytes(result.content)


def test_the_template_path_on_the_authors_disk_goes():
    relationships = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" TargetMode="External" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        b'Target="file:///C:\\Users\\jan.jansen\\Sjablonen\\Normal.dotm"/>'
        b"</Relationships>"
    )
    original = _with_members(_docx(), {"word/_rels/settings.xml.rels": relationships})
    result = clean("verslag.docx", original)
    assert b"jan.jansen" not in _all_bytes(result.content)


def test_xlsx_loses_comment_authors_and_picture_text():
    book = openpyxl.Workbook()
    book.active["A1"] = "Bedrag"
    book.active["A1"].comment = Comment("Te hoog", NAME)
    out = io.BytesIO()
    book.save(out)
    original = _with_members(out.getvalue(), {"xl/media/image1.png": _png_with_text()})
    assert NAME.encode() in _all_bytes(original)
    result = clean("cijfers.xlsx", original)
    assert result.metadata == MetadataHandling.REMOVED
    _names_gone(_all_bytes(result.content))
    cleaned = openpyxl.load_workbook(io.BytesIO(result.content))
    assert cleaned.active["A1"].comment.text.startswith("Te hoog")


def test_pptx_loses_comment_authors_and_picture_exif():
    authors = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<p:cmAuthorLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
        f'<p:cmAuthor id="0" name="{NAME}" initials="{INITIALS}" lastIdx="1" clrIdx="0"/>'
        "</p:cmAuthorLst>"
    ).encode()
    modern = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<p188:authorLst xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main">'
        f'<p188:author id="{{1}}" name="{NAME}" initials="{INITIALS}" userId="{MAIL}" '
        'providerId="AD"/></p188:authorLst>'
    ).encode()
    content_types = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types '
        b'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("ppt/commentAuthors.xml", authors)
        archive.writestr("ppt/authors.xml", modern)
        archive.writestr("ppt/media/image1.jpeg", _jpeg_with_exif())
    result = clean("dia.pptx", out.getvalue())
    assert result.metadata == MetadataHandling.REMOVED
    _names_gone(_all_bytes(result.content))
    assert b'initials=""' in _all_bytes(result.content)


def _pdf_with_annotations() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    note = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Text,
            Rect=[10, 10, 30, 30],
            T=pikepdf.String(NAME),
            Contents=pikepdf.String("Nakijken"),
        )
    )
    popup = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Popup,
            Rect=[30, 30, 90, 90],
            T=pikepdf.String(NAME),
            Parent=note,
        )
    )
    field = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            FT=pikepdf.Name.Tx,
            Rect=[10, 100, 200, 120],
            T=pikepdf.String("bedrag"),
        )
    )
    page.obj["/Annots"] = pdf.make_indirect(pikepdf.Array([note, popup, field]))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
    xmp = pdf.make_stream(f"<x:xmpmeta><dc:creator>{NAME}</dc:creator></x:xmpmeta>".encode())
    xmp["/Type"], xmp["/Subtype"] = pikepdf.Name.Metadata, pikepdf.Name.XML
    page.obj["/Metadata"] = xmp
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def test_pdf_loses_annotation_authors_and_object_xmp_but_keeps_field_names():
    original = _pdf_with_annotations()
    assert NAME.encode() in original
    result = clean("scan.pdf", original)
    assert result.metadata == MetadataHandling.REMOVED
    assert NAME.encode() not in result.content
    with pikepdf.open(io.BytesIO(result.content)) as pdf:
        annotations = list(pdf.pages[0].obj["/Annots"])
        assert str(annotations[0]["/Contents"]) == "Nakijken"
        assert "/T" not in annotations[0] and "/T" not in annotations[1]
        assert str(annotations[2]["/T"]) == "bedrag"  # a form field's name is not a person


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, format="GIF", comment=NAME.encode())
    return out.getvalue()


@pytest.mark.parametrize(
    "member",
    [
        pytest.param(("word/media/image9.gif", _gif()), id="gif-picture"),
        pytest.param(("word/embeddings/Werkblad.xlsx", None), id="embedded-workbook"),
        pytest.param(
            ("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
            id="ole-object",
        ),
        pytest.param(("word/media/image9.jpeg", b"\xff\xd8\xff\xe1\x00"), id="damaged-jpeg"),
    ],
)
def test_what_could_not_be_removed_is_said(member):
    name, data = member
    if data is None:  # an embedded workbook keeps its own properties
        book = openpyxl.Workbook()
        book.properties.creator = NAME
        out = io.BytesIO()
        book.save(out)
        data = out.getvalue()
    result = clean("verslag.docx", _with_members(_docx(), {name: data}))
    assert result.metadata == MetadataHandling.PARTLY_REMOVED


@pytest.mark.django_db
def test_the_reporter_is_told_before_submitting(people):
    client = Client()
    clean_file = SimpleUploadedFile("schoon.docx", _docx())
    partly = SimpleUploadedFile(
        "bijlage.docx", _with_members(_docx(), {"word/media/x.gif": _gif()})
    )
    text = SimpleUploadedFile("notities.txt", b"Aantekeningen")
    response = client.post("/en/melden/bzk/", report_data(attachments=[clean_file, partly, text]))
    assert response.status_code == 302
    page = client.get("/en/melden/controleren/").content.decode()
    with translation.override("en"):
        partly_warning = escape(metadata_warning(MetadataHandling.PARTLY_REMOVED))
        not_removable = escape(metadata_warning(MetadataHandling.NOT_REMOVABLE))
    assert page.count(partly_warning) == 1 and page.count(not_removable) == 1
    assert metadata_warning(MetadataHandling.REMOVED) == ""
