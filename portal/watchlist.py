"""A party's watchlist: add numbers one by one or from a CSV or Excel file, with a report of refusals.

    >>> report = add_numbers(party, viewer, ["MSKU1234565", "BOLUSHA000001"], user=request.user)
    >>> report.added, report.refused          # ["MSKU1234565", ...], [Refusal(number, reason), ...]

A container number is checked for its ISO 6346 check digit, then for visibility (as
:func:`tracking.visibility.can_see_container` answers); anything else is tried as a booking or bill of
lading (as :func:`tracking.queries.find_shipment` answers). Unknown and not visible get the same answer.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from stdnum import iso6346

from portal.choices import NotAdded, WatchKind
from portal.milestones import references
from portal.models import WatchItem
from tracking.choices import AccessKind
from tracking.models import Access, Party, Shipment
from tracking.queries import normalise_container
from tracking.visibility import Viewer, visible_shipments

MAX_ITEMS = 2000
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# An .xlsx is a zip: 2 MB of it can unpack to gigabytes (openpyxl loads the shared strings whole).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_NUMBERS = 5000
CONTAINER_LIKE = re.compile(r"^[A-Z]{4}\d{6,7}$")
CELL = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{2,40}")


class UploadError(ValueError):
    """A file that cannot be read as a list of numbers (wrong type, too large, unreadable)."""

    code = "bad_upload"


@dataclass(frozen=True)
class Refusal:
    number: str
    reason: str
    detail: str = ""

    @property
    def label(self) -> str:
        return str(NotAdded(self.reason).label)


@dataclass
class Report:
    added: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def _numbers_of_rows(rows) -> list[str]:
    numbers = []
    for row in rows:
        for cell in row:
            text = str(cell).strip() if cell is not None else ""
            if text and CELL.fullmatch(text) and any(ch.isdigit() for ch in text):
                numbers.append(text)
                break  # the first number-like cell of a row; other columns are notes
        if len(numbers) >= MAX_NUMBERS:
            break
    return numbers


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a workbook whose parts unpack to more than MAX_UNPACKED_BYTES (a zip bomb), before opening it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UploadError(_("The Excel file could not be read.")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise UploadError(_("The Excel file unpacks to more than 50 MB."))


def numbers_from_file(name: str, data: bytes) -> list[str]:
    """The numbers of a CSV/text file or an Excel workbook (first sheet), first number-like cell per row."""
    numbers = _read_numbers(name, data)
    if not numbers:
        raise UploadError(
            _("No container, bill of lading or booking number was found in the file: put one number on each row.")
        )
    return numbers


def _read_numbers(name: str, data: bytes) -> list[str]:
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(_("The file is larger than 2 MB."))
    if name.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        from openpyxl import load_workbook

        _check_unpacked_size(data)
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            return _numbers_of_rows(sheet.iter_rows(values_only=True))
        except Exception as exc:  # noqa: BLE001 (openpyxl raises many types for a bad file)
            raise UploadError(_("The Excel file could not be read.")) from exc
    if b"\x00" in data[:4096]:
        raise UploadError(_("This is not a CSV or Excel file: upload a CSV file or an Excel workbook (.xlsx)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        pass
    try:  # splitlines: also the lone CR line ends of a CSV saved by Excel for Mac
        numbers = _numbers_of_rows(csv.reader(text.splitlines(), dialect))
    except csv.Error as exc:
        raise UploadError(_("The CSV file could not be read.")) from exc
    return numbers


def _container_number(raw: str) -> str:
    compact = normalise_container(raw)
    return compact if CONTAINER_LIKE.match(compact) else ""


def _visible(viewer: Viewer, numbers: list[str]) -> tuple[set[str], set[str]]:
    """Of the numbers, the containers and the shipment references the viewer may see: a few queries for them all.

    The same answers as :func:`tracking.visibility.can_see_container` and
    :func:`tracking.queries.find_shipment` give one number at a time.
    """
    boxes = {n for n in map(_container_number, numbers) if len(n) == 11 and iso6346.is_valid(n)}
    refs = {ref for raw in numbers if not _container_number(raw) for ref in references(raw.strip())}
    if viewer.everything:
        containers = boxes
    elif viewer.is_public or not boxes:
        containers = set()
    else:
        granted = Access.objects.filter(party_id__in=viewer.party_ids, kind=AccessKind.EQUIPMENT, reference__in=boxes)
        containers = set(granted.values_list("reference", flat=True))
        through = visible_shipments(viewer).filter(equipment__reference__in=boxes - containers)
        containers |= set(through.values_list("equipment__reference", flat=True))
    shipments = Shipment.objects.all() if viewer.everything else visible_shipments(viewer)
    seen = set(shipments.filter(reference__in=refs).values_list("reference", flat=True)) if refs else set()
    return containers, seen


def _classify(raw: str, containers: set[str], shipments: set[str]) -> tuple[str, str] | Refusal:
    """(kind, reference) of a number the viewer may watch (``containers``, ``shipments``: what it may see), or why not."""
    compact = _container_number(raw)
    if compact:
        if len(compact) != 11:
            return Refusal(raw, NotAdded.BAD_FORMAT)
        if not iso6346.is_valid(compact):
            digit = iso6346.calc_check_digit(compact[:10])
            return Refusal(raw, NotAdded.BAD_CHECK_DIGIT, _("should end in %(digit)s") % {"digit": digit})
        if compact not in containers:
            return Refusal(raw, NotAdded.NOT_VISIBLE)
        return WatchKind.CONTAINER, compact
    for reference in references(raw.strip()):  # as typed, in capitals, without spaces or dashes
        if reference in shipments:
            return WatchKind.SHIPMENT, reference
    return Refusal(raw, NotAdded.NOT_VISIBLE)


def add_numbers(party: Party, viewer: Viewer, numbers: list[str], *, user=None) -> Report:
    """Add the numbers the party may see to its watchlist; report each refused one with its reason.

    A fixed number of queries however long the list (a 5,000-row file is not 10,000 queries).
    """
    report = Report()
    numbers = [unicodedata.normalize("NFKC", raw).strip() for raw in numbers]  # full-width digits of a Chinese IME
    numbers = [raw for raw in numbers if raw]
    containers, shipments = _visible(viewer, numbers)
    existing = set(WatchItem.objects.filter(party=party).values_list("kind", "reference"))
    room = MAX_ITEMS - len(existing)
    new: list[WatchItem] = []
    for raw in numbers:
        outcome = _classify(raw, containers, shipments)
        if isinstance(outcome, Refusal):
            report.refused.append(outcome)
            continue
        if outcome in existing:
            report.refused.append(Refusal(raw, NotAdded.DUPLICATE))
            continue
        if len(new) >= room:
            report.refused.append(Refusal(raw, NotAdded.TOO_MANY))
            continue
        existing.add(outcome)
        new.append(WatchItem(party=party, kind=outcome[0], reference=outcome[1], added_by=user))
        report.added.append(outcome[1])
    WatchItem.objects.bulk_create(new, ignore_conflicts=True)
    return report


def remove(party: Party, kind: str, reference: str) -> int:
    """Take an entry off the party's watchlist; return how many rows went (0 or 1)."""
    deleted, _rows = WatchItem.objects.filter(party=party, kind=kind, reference=reference).delete()
    return deleted


def party_of(user) -> Party | None:
    """The party a portal user acts for on the watchlist (the first one, by name)."""
    if user is None or not user.is_authenticated:
        return None
    return Party.objects.filter(users=user).order_by("name", "pk").first()
