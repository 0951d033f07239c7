"""Message files on disk: what a file is (from its first bytes, never its name or the browser's word), and storing it
encrypted under a random name in the private directory, outside the web root."""

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from amends.core.fields import fernet
from amends.relay.models import FileFamily, MessageFile

# What is read of a file to tell what it is.
HEAD_BYTES = 64
CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    family: FileFamily
    extension: str
    # Other endings a name of this kind may rightly have (scan.jpeg is a JPEG as much as scan.jpg).
    other_extensions: frozenset[str] = frozenset()

    def names(self, extension: str) -> bool:
        """Whether a name ending in this extension says truly what the file is."""
        return extension.lower() in {self.extension, *self.other_extensions}


PDF = Sniffed("application/pdf", FileFamily.DOCUMENT, "pdf")
JPEG = Sniffed("image/jpeg", FileFamily.DOCUMENT, "jpg", frozenset({"jpeg"}))
PNG = Sniffed("image/png", FileFamily.DOCUMENT, "png")
MP3 = Sniffed("audio/mpeg", FileFamily.AUDIO, "mp3")
M4A = Sniffed("audio/mp4", FileFamily.AUDIO, "m4a")
WAV = Sniffed("audio/wav", FileFamily.AUDIO, "wav")
MP4 = Sniffed("video/mp4", FileFamily.VIDEO, "mp4")
WEBM = Sniffed("video/webm", FileFamily.VIDEO, "webm")

KINDS = (PDF, JPEG, PNG, MP3, M4A, WAV, MP4, WEBM)
KIND_OF_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS}
MAX_NAME_LENGTH = 255

AUDIO_BRANDS = frozenset({b"M4A ", b"M4B "})
VIDEO_BRANDS = frozenset({b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"MSNV"})


def sniff(head: bytes) -> Sniffed | None:
    """What the file is, from its first bytes; None for anything not on the allow-list."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"ID3") or (
        len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and (head[1] >> 1) & 0x03 == 1
    ):
        # An ID3 tag, or an MPEG audio frame sync (11 bits set) with layer III.
        return MP3
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return WAV
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in AUDIO_BRANDS:
            return M4A
        if brand in VIDEO_BRANDS:
            return MP4
        return None
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:HEAD_BYTES]:
        return WEBM
    return None


def named_for(name: str, sniffed: Sniffed) -> str:
    """The uploaded name, ending in the extension of what the file really is: a PDF sent as report.exe is named
    report.pdf, so nobody who downloads it is invited to open it as something else. A true name is kept."""
    stem, dot, extension = name.strip().rpartition(".")
    if not dot:
        stem, extension = extension, ""
    if not sniffed.names(extension):
        # report.pdf.exe: the name under the false ending was already true.
        inner_stem, inner_dot, inner_extension = stem.rpartition(".")
        if inner_dot and sniffed.names(inner_extension):
            stem, extension = inner_stem, inner_extension
        else:
            extension = sniffed.extension
    return _shortened(stem.strip() or str(sniffed.family), extension)


def _shortened(stem: str, extension: str) -> str:
    """stem.extension within the length a stored name may have, the extension always kept."""
    return f"{stem[: MAX_NAME_LENGTH - len(extension) - 1]}.{extension}"


def download_name(message_file: MessageFile) -> str:
    """The name a file is served under: its uploaded name, ending in the extension of the type its bytes showed."""
    kind = KIND_OF_CONTENT_TYPE.get(message_file.content_type)
    if kind is None:
        # Every stored type is one sniff() gives; this only guards against a type added without a kind.
        return message_file.original_name or "file"
    return named_for(message_file.original_name, kind)


def max_upload_bytes() -> int:
    return int(settings.AMENDS_RELAY_MAX_UPLOAD_MB) * 1024 * 1024


def read_limited(content: IO[bytes], limit: int) -> bytes | None:
    """The whole file, or None when it is larger than `limit` bytes (reading stops just past the limit)."""
    chunks: list[bytes] = []
    total = 0
    while chunk := content.read(CHUNK_BYTES):
        total += len(chunk)
        if total > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def private_dir() -> Path:
    """Where message files are kept: never under STATIC_ROOT or any directory a web server serves."""
    return Path(settings.AMENDS_PRIVATE_DIR) / "relay"


def new_stored_name(sniffed: Sniffed) -> str:
    return f"{secrets.token_hex(24)}.{sniffed.extension}.enc"


def write_encrypted(stored_name: str, data: bytes) -> None:
    directory = private_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / stored_name
    with path.open("xb") as handle:
        handle.write(fernet().encrypt(data))
    path.chmod(0o600)


def read_decrypted(stored_name: str) -> bytes:
    return fernet().decrypt((private_dir() / stored_name).read_bytes())


def remove(stored_name: str) -> None:
    """Remove a file whose record was not saved (the transaction that wrote it rolled back)."""
    (private_dir() / stored_name).unlink(missing_ok=True)


def attachment(message_file: MessageFile) -> HttpResponse:
    """The file, decrypted, as a download of the type its first bytes showed: never shown or sniffed by a browser."""
    try:
        data = read_decrypted(message_file.stored_name)
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(data, content_type=message_file.content_type)
    response["Content-Disposition"] = content_disposition_header(True, download_name(message_file)) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
