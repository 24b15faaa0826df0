"""Images uploaded as attachments are re-encoded without metadata: the GPS position, camera,
owner's name, comments, XMP, text chunks and ICC profile of an informant's photo are never stored
or served; the picture itself stays (upright, same pixels)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from signals import services
from signals.images import MAX_PIXELS
from signals.models import Attachment
from tests.factories.signals import make_signal
from vik.core.encryption import decrypt_bytes
from vik.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db

SECRET = b"INFORMANT"  # in every metadata field of the uploads below
RED = (200, 30, 30)


def _exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "INFORMANT-Make"
    exif[0x0110] = "INFORMANT-Model telefoon van Jan"
    exif[0x013B] = "INFORMANT-Artist Jan Tipgever"
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 13.0, 37.5)  # Enschede
    gps[3], gps[4] = "E", (6.0, 53.0, 40.2)
    return exif


def jpeg_with_metadata(orientation: int = 6) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), RED).save(
        out,
        "JPEG",
        exif=_exif(orientation),
        comment=b"INFORMANT-comment",
        icc_profile=b"INFORMANT-icc" * 8,
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">INFORMANT-xmp</x:xmpmeta>',
    )
    return out.getvalue()


def png_with_metadata() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "INFORMANT-text")
    info.add_itxt("Comment", "INFORMANT-itxt")
    info.add_text("GPS", "INFORMANT 52.2215,6.8937", zip=True)
    out = io.BytesIO()
    Image.new("RGBA", (30, 10), (*RED, 128)).save(out, "PNG", pnginfo=info, exif=_exif())
    return out.getvalue()


def gif_with_metadata(frames: int = 1) -> bytes:
    images = [Image.new("P", (16, 16), i) for i in range(frames)]
    for img in images:
        img.putpalette([200, 30, 30, 0, 0, 255] * 128)
    out = io.BytesIO()
    images[0].save(out, "GIF", comment=b"INFORMANT-gif", save_all=frames > 1, append_images=images[1:])
    return out.getvalue()


CASES = [
    ("foto.jpg", jpeg_with_metadata, "image/jpeg"),
    ("scherm.png", png_with_metadata, "image/png"),
    ("plaatje.gif", gif_with_metadata, "image/gif"),
    ("bewegend.gif", lambda: gif_with_metadata(frames=3), "image/gif"),
]


def assert_no_metadata(data: bytes):
    assert SECRET not in data
    for marker in (b"Exif\x00\x00", b"ICC_PROFILE", b"adobe:ns:meta", b"tEXt", b"iTXt", b"zTXt", b"eXIf"):
        assert marker not in data, marker
    img = Image.open(io.BytesIO(data))
    assert len(img.getexif()) == 0
    assert not set(img.info) & {"exif", "icc_profile", "comment", "xmp", "Author", "GPS", "Comment"}


@pytest.mark.parametrize("name,make,ctype", CASES)
def test_image_is_stored_without_metadata_and_the_upload_is_gone(make_user, settings, name, make, ctype):
    upload = make()
    assert SECRET in upload  # the test image does carry the metadata
    analyst = make_user("analyst")
    att = services.attachment_add(actor=analyst, signal=make_signal(analyst), filename=name, data=upload)
    stored = services.attachment_read(att)
    assert_no_metadata(stored)
    assert stored != upload and att.content_type == ctype
    assert att.size == len(stored) and att.sha256 == hashlib.sha256(stored).hexdigest()
    # nothing else was written next to it: the one file on disk is the clean image, encrypted
    files = list((Path(settings.MEDIA_ROOT) / "attachments").iterdir())
    assert [decrypt_bytes(f.read_bytes()) for f in files] == [stored]
    # the picture itself survives
    img = Image.open(io.BytesIO(stored))
    assert img.format == Image.open(io.BytesIO(upload)).format
    pixel = img.convert("RGB").getpixel((1, 1))
    assert all(abs(a - b) <= 8 for a, b in zip(pixel, RED, strict=True))


def test_a_sideways_photo_is_turned_upright_before_its_orientation_tag_is_dropped(make_user):
    analyst = make_user("analyst")
    att = services.attachment_add(
        actor=analyst, signal=make_signal(analyst), filename="f.jpg", data=jpeg_with_metadata(orientation=6)
    )
    assert Image.open(io.BytesIO(services.attachment_read(att))).size == (20, 40)  # was 40 x 20, rotated


def test_animated_gif_keeps_its_frames(make_user):
    analyst = make_user("analyst")
    att = services.attachment_add(
        actor=analyst, signal=make_signal(analyst), filename="a.gif", data=gif_with_metadata(frames=3)
    )
    assert Image.open(io.BytesIO(services.attachment_read(att))).n_frames == 3


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("kapot.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40, "beschadigd of onleesbaar"),
        ("kapot.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "beschadigd of onleesbaar"),
        ("kapot.gif", b"GIF89a" + b"\x00" * 40, "beschadigd of onleesbaar"),
    ],
)
def test_a_broken_image_is_refused_at_the_field_and_nothing_stored(make_user, name, data, message):
    analyst = make_user("analyst")
    with pytest.raises(ApplicationError) as exc:
        services.attachment_add(actor=analyst, signal=make_signal(analyst), filename=name, data=data)
    assert exc.value.field == "file" and message in exc.value.message
    assert Attachment.objects.count() == 0


def test_a_decompression_bomb_is_refused_without_decoding(make_user):
    side = int(MAX_PIXELS**0.5) + 100
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG")  # a few kB, ~50 megapixel
    analyst = make_user("analyst")
    with pytest.raises(ApplicationError) as exc:
        services.attachment_add(
            actor=analyst, signal=make_signal(analyst), filename="b.png", data=out.getvalue()
        )
    assert "te groot" in exc.value.message and exc.value.field == "file"


def test_upload_through_the_page_serves_only_the_clean_image(login, make_user):
    analyst = make_user("analyst", username="anouk")
    client = login(analyst)
    signal = make_signal(analyst)
    upload = SimpleUploadedFile("foto.jpg", jpeg_with_metadata(), content_type="image/jpeg")
    resp = client.post(reverse("signals:attachment_upload", kwargs={"pk": signal.pk}), {"file": upload})
    assert resp.status_code == 302
    att = Attachment.objects.get()
    resp = client.get(
        reverse("signals:attachment_download", kwargs={"pk": signal.pk, "attachment_pk": att.pk})
    )
    assert resp.status_code == 200 and resp["Content-Type"] == "image/jpeg"
    assert_no_metadata(resp.content)


def test_images_stored_before_the_fix_are_cleaned_in_place(make_user, settings):
    """Migration signals 0005: an image attachment stored as uploaded (with its GPS) is replaced
    by its clean version; a broken one is left alone; other files are not touched."""
    from signals.images import clean_stored_images
    from vik.core.encryption import encrypt_bytes

    analyst = make_user("analyst")
    signal = make_signal(analyst)
    folder = Path(settings.MEDIA_ROOT) / "attachments"
    folder.mkdir(parents=True, exist_ok=True)

    def legacy(name, data, ctype):
        (folder / f"{name}.bin").write_bytes(encrypt_bytes(data))
        return Attachment.objects.create(
            signal=signal,
            filename=name,
            content_type=ctype,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            storage_name=f"{name}.bin",
            uploaded_by=analyst,
        )

    photo = legacy("foto.jpg", jpeg_with_metadata(), "image/jpeg")
    broken = legacy("kapot.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png")
    report = legacy("rapport.pdf", b"%PDF-1.4 INFORMANT", "application/pdf")

    assert clean_stored_images(Attachment) == (1, 1)

    photo.refresh_from_db()
    stored = services.attachment_read(photo)
    assert_no_metadata(stored)
    assert photo.size == len(stored) and photo.sha256 == hashlib.sha256(stored).hexdigest()
    assert services.attachment_read(broken) == b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
    assert services.attachment_read(report) == b"%PDF-1.4 INFORMANT"
    assert sorted(p.name for p in folder.iterdir()) == ["foto.jpg.bin", "kapot.png.bin", "rapport.pdf.bin"]
