"""The raw HTTP exchanges of the capture as WARC files (ISO 28500), one per
connection and day, written with ``warcio``: what the platform said, byte for
byte, beside what we made of it."""

from __future__ import annotations

import io
import os
from pathlib import Path

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from moderation.capture.models import WarcFile

# Never written to a WARC file: a request's credentials.
SECRET_HEADERS = {"authorization", "cookie", "x-goog-api-key"}
SECRET_PARAMS = ("access_token", "key", "input_token")
DECODED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def _redact_url(url: str) -> str:
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = [
        (k, "REDACTED" if k in SECRET_PARAMS else v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def warc_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "capture" / "warc"


def _file_for(connection_id: int) -> WarcFile:
    day = timezone.localdate()
    relative = f"capture/warc/{connection_id}/{day:%Y-%m-%d}.warc.gz"
    warc, _created = WarcFile.objects.get_or_create(
        connection_id=connection_id, day=day, defaults={"path": relative}
    )
    return warc


@transaction.atomic
def record_exchange(connection_id: int, response: requests.Response) -> None:
    """Append the request and response of one exchange (gzip members append)."""
    warc = WarcFile.objects.select_for_update().get(pk=_file_for(connection_id).pk)
    path = Path(settings.MEDIA_ROOT) / warc.path
    path.parent.mkdir(parents=True, exist_ok=True)
    url = _redact_url(response.url or response.request.url or "")
    request = response.request
    request_headers = [
        (k, v) for k, v in request.headers.items() if k.lower() not in SECRET_HEADERS
    ]
    status = f"{response.status_code} {response.reason or ''}".strip()
    # ``requests`` has already decoded the body: the stored headers must not
    # claim an encoding the stored payload no longer has.
    response_headers = [
        (k, v) for k, v in response.headers.items() if k.lower() not in DECODED_HEADERS
    ]
    with open(path, "ab") as handle:
        writer = WARCWriter(handle, gzip=True)
        req_line = f"{request.method} {url} HTTP/1.1"
        req = writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(req_line, request_headers, is_http_request=True),
        )
        resp = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(response.content or b""),
            http_headers=StatusAndHeaders(status, response_headers, protocol="HTTP/1.1"),
        )
        writer.write_record(resp)
        writer.write_record(req)
    warc.records += 2
    warc.save(update_fields=["records"])


def read_records(path: Path) -> list[tuple[str, str, bytes]]:
    """(type, target URI, payload) of every record: how an auditor reads it."""
    with open(path, "rb") as handle:
        return [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
            for r in ArchiveIterator(handle)
        ]


def remove_records_mentioning(connection_id: int, needle: str) -> int:
    """Rewrite a connection's WARC files without the exchanges whose response
    mentions ``needle`` (a purged object's id): 1998:112 § 5 content must not
    survive in the raw exchanges either. Returns the records removed."""
    removed = 0
    for warc in WarcFile.objects.select_for_update().filter(connection_id=connection_id):
        path = Path(settings.MEDIA_ROOT) / warc.path
        if not path.exists():
            continue
        kept = io.BytesIO()
        writer = WARCWriter(kept, gzip=True)
        count = 0
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                body = record.content_stream().read()
                if needle.encode() in body:
                    removed += 1
                    continue
                writer.write_record(
                    writer.create_warc_record(
                        record.rec_headers.get_header("WARC-Target-URI"),
                        record.rec_type,
                        payload=io.BytesIO(body),
                        http_headers=record.http_headers,
                    )
                )
                count += 1
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(kept.getvalue())
        os.replace(tmp, path)
        warc.records = count
        warc.save(update_fields=["records"])
    return removed
