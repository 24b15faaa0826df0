"""Uploaded images re-encoded from their pixels alone: no EXIF (GPS position, camera serial
number, time taken, owner's name), no XMP or IPTC, no comments, no text chunks, no ICC profile,
no thumbnail. An informant's photo can otherwise tell where and by whose phone it was taken. The
upload is decoded, turned upright (the EXIF orientation is applied before it is dropped) and
written anew; the uploaded bytes are never stored or served."""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from pathlib import Path

from cryptography.fernet import InvalidToken

from django.conf import settings
from django.utils.translation import gettext as _

from vik.core.encryption import decrypt_bytes, encrypt_bytes
from vik.core.exceptions import ApplicationError

#: Larger images are refused rather than decoded (a small file can decode to gigabytes).
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 90

_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF"}


def is_image(content_type: str) -> bool:
    return content_type in _FORMATS


def _unreadable() -> ApplicationError:
    return ApplicationError(_("De afbeelding is beschadigd of onleesbaar."), field="file")


def _pixels_only(frame, *, keep_alpha: bool):
    """A new image holding only ``frame``'s pixels (Image.info, and so every metadata block, left
    behind)."""
    from PIL import Image

    if frame.mode in ("1", "L") and "transparency" not in frame.info:
        mode = "L"
    elif keep_alpha and (frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info):
        mode = "RGBA"
    else:
        mode = "RGB"
    converted = frame.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def clean_image(data: bytes, content_type: str) -> bytes:
    """The image re-encoded without any metadata, in the same format. Raises ApplicationError
    (field "file") for an image that cannot be decoded or is too large."""
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    fmt = _FORMATS[content_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            source = Image.open(io.BytesIO(data), formats=[fmt])
            width, height = source.size
            if width * height > MAX_PIXELS:
                raise ApplicationError(
                    _("De afbeelding is te groot: ten hoogste %(mp)s megapixel.")
                    % {"mp": MAX_PIXELS // 1_000_000},
                    field="file",
                )
            out = io.BytesIO()
            if fmt == "GIF" and getattr(source, "n_frames", 1) > 1:
                frames, durations = [], []
                for frame in ImageSequence.Iterator(source):
                    durations.append(frame.info.get("duration", 100))
                    frames.append(_pixels_only(frame, keep_alpha=True))
                frames[0].save(
                    out, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0
                )
            else:
                upright = ImageOps.exif_transpose(source)  # a copy, turned as the camera meant
                if fmt == "JPEG":
                    _pixels_only(upright, keep_alpha=False).save(
                        out, format="JPEG", quality=JPEG_QUALITY, optimize=True
                    )
                else:
                    _pixels_only(upright, keep_alpha=True).save(out, format=fmt, optimize=True)
    except ApplicationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, Warning) as exc:
        raise _unreadable() from exc
    except Image.DecompressionBombError as exc:
        raise _unreadable() from exc
    return out.getvalue()


def clean_stored_images(attachment_model) -> tuple[int, int]:
    """Re-encode the image attachments stored before uploads were cleaned (run once by migration
    signals 0005, with the historical model). Each file is replaced atomically by its clean,
    encrypted version, and size and hash follow. Returns (cleaned, skipped): an image that cannot
    be read or decrypted is left as it is and counted as skipped."""
    folder = Path(settings.MEDIA_ROOT) / "attachments"
    cleaned = skipped = 0
    for att in attachment_model.objects.filter(content_type__in=list(_FORMATS)).iterator():
        path = folder / att.storage_name
        try:
            data = clean_image(decrypt_bytes(path.read_bytes()), att.content_type)
        except (OSError, InvalidToken, ApplicationError):
            skipped += 1
            continue
        temporary = path.with_name(path.name + ".clean")
        temporary.write_bytes(encrypt_bytes(data))
        os.replace(temporary, path)
        attachment_model.objects.filter(pk=att.pk).update(
            size=len(data), sha256=hashlib.sha256(data).hexdigest()
        )
        cleaned += 1
    return cleaned, skipped
