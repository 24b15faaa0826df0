"""What a file really is, judged by its content (magic bytes), never by its name alone."""

from __future__ import annotations

import io
import re
import zipfile

PDF = "application/pdf"
OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OLE_BY_EXTENSION = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".msg": "application/vnd.ms-outlook",
}
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_HEADER = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]")
_MAIL_HEADERS = {
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"received",
    b"mime-version",
    b"return-path",
}


def _ooxml_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, ctype in OOXML.items():
        if any(n.startswith(prefix) for n in names):
            return ctype
    return None


def _looks_like_eml(data: bytes) -> bool:
    """RFC 822: the message starts with header lines ``Name: value`` and at least two of them
    are the usual mail headers (From, To, Subject, Date, ...)."""
    head = data[:8192]
    if b"\x00" in head:
        return False
    seen = set()
    for raw in head.splitlines():
        if not raw.strip():
            break
        if raw[:1] in (b" ", b"\t"):
            continue  # folded header continuation
        if not _HEADER.match(raw):
            return False
        seen.add(raw.split(b":", 1)[0].lower())
    return len(seen & _MAIL_HEADERS) >= 2 and b"from" in seen


def sniff_content_type(data: bytes, filename: str = "") -> str | None:
    """The content type of an allowed attachment, or None when the type is not allowed."""
    ext = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data.startswith(b"PK\x03\x04"):
        return _ooxml_type(data)
    if data.startswith(OLE_MAGIC):
        return OLE_BY_EXTENSION.get(ext, "application/x-ole-storage")
    if _looks_like_eml(data):
        return "message/rfc822"
    return None
