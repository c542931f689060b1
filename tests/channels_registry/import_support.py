"""Spreadsheets of existing accounts for the import tests (issue 16): a sound
file of any size, and the same file with the ten kinds of error spread over
its rows, each with the message the preview must show on that row."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from channels_registry.imports.columns import COLUMNS
from tests.factories import PlatformFactory, UnitFactory, UserFactory

HEADINGS = [str(c.heading) for c in COLUMNS]
PLATFORMS = ("Facebook", "Instagram", "Linkedin")
DOMAINS = {"Facebook": "facebook.com", "Instagram": "instagram.com", "Linkedin": "linkedin.com"}


def import_world(org) -> dict:
    """Units in the org's administration, platforms and the people named in the rows."""
    units = [
        org["unit"],
        UnitFactory(administration=org["administration"], name="Förskolan Äpplet"),
    ]
    for name in PLATFORMS:
        PlatformFactory(slug=name.lower(), name=name)
    people = [
        UserFactory(username=f"person{n:02d}", email=f"Person{n:02d}@Nora.se") for n in range(12)
    ]
    return {"units": units, "people": people, "administration": org["administration"]}


def sound_rows(world: dict, count: int) -> list[dict[str, str]]:
    people = world["people"]
    rows = []
    for n in range(count):
        platform = PLATFORMS[n % len(PLATFORMS)]
        unit = world["units"][n % 2]
        handle = f"norakommun.kanal{n}"
        rows.append(
            {
                "administration": world["administration"].name,
                "unit": unit.name,
                "platform": platform,
                "display_name": f"Nora kommun Kanal {n}",
                "handle": handle,
                "url": f"https://www.{DOMAINS[platform]}/{handle}",
                "purpose": "Nyheter och evenemang för kommunens invånare på svenska och åäö.",
                "target_audience": "Invånare",
                "contact": "kontakt@nora.se",
                "update_frequency_text": "Ett par gånger i veckan",
                "response_time_text": "Vi svarar inom en arbetsdag",
                # The owner by username, the deputy by e-mail in other case.
                "owner": people[n % 6].username,
                "deputy": f"PERSON{(n % 6) + 6:02d}@nora.SE",
                "others": people[(n + 1) % 6].username if n % 3 == 0 else "",
                "override_reason": "",
            }
        )
    return rows


def broken_rows(world: dict, taken_handle: str, count: int = 500):
    """``sound_rows`` with the ten kinds of error, and ``(line, message)`` for each."""
    rows = sound_rows(world, count)
    expected: list[tuple[int, str]] = []

    def breaks(index: int, message: str, **changes: str) -> None:
        rows[index].update(changes)
        expected.append((index + 2, message))

    breaks(7, "Okänd enhet: Simhallen finns inte i", unit="Simhallen")
    breaks(33, "Okänd förvaltning: Vattenverket.", administration="Vattenverket")
    breaks(61, "Okänd person som kontoansvarig: nobody.", owner="nobody")
    breaks(95, "Okänd person som ersättare: ingen@nora.se.", deputy="ingen@nora.se")
    breaks(120, 'Visningsnamnet måste innehålla "Nora kommun" (§4).', display_name="Biblioteket")
    breaks(150, 'Förkortningen "norakm" får inte användas', handle="norakmbibliotek")
    breaks(
        181,
        "Användarnamnet norakommunkanal0 på Facebook finns redan på rad 2.",
        handle="norakommunkanal0",
        platform="Facebook",
        url="https://www.facebook.com/norakommunkanal0",
    )
    breaks(
        203,
        "Användarnamnet finns redan registrerat på den här plattformen.",
        handle=taken_handle,
        platform="Facebook",
        url=f"https://www.facebook.com/{taken_handle}",
    )
    breaks(230, "Ersättare saknas (§5).", deputy="")
    breaks(262, "Kontoansvarig saknas (§5).", owner="")
    breaks(288, "Okänd plattform: MySpace.", platform="MySpace")
    breaks(310, "inte på www.evil.se", url="https://www.evil.se/norakommunx")
    breaks(333, "Adressen måste börja med https://", url="http://www.instagram.com/x")
    breaks(
        359,
        "Kontoansvarig och ersättare är samma person",
        owner="person03",
        deputy="person03@nora.se",
    )
    breaks(402, "Syfte saknas.", purpose="")
    breaks(
        444,
        "Visningsnamn är för lång: 160 tecken, högst 150.",
        display_name="Nora kommun " + "x" * 148,
    )
    breaks(498, "har slutat eller är inaktiverad", others="leaver")
    return rows, expected


def as_csv(rows: list[dict[str, str]], encoding: str = "cp1252", bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADINGS)
    for row in rows:
        writer.writerow([row[c.field] for c in COLUMNS])
    data = out.getvalue().encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def as_xlsx(rows: list[dict[str, str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append([row[c.field] for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
