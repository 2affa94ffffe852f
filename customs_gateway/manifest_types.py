"""The China new-manifest family as the gateway takes it: each message type, its function codes, its lodgement's name.

    >>> FUNCTIONS["MT8102"]                      # the function codes its published definitions exist for
    ('2',)
    >>> lodgement_reference(sub)                 # 'MT8102-UN9321483-048W-LGHX2611001'

Five kinds, by what the authority is told:

- cargo reports (manifests): MT1101 sea import original, MT2101 sea export pre-allocated, MT1201 and
  MT2201 their air counterparts. Main data 9, secondary data 0, amendment 5, deletion 3. One per
  ship's voyage or flight: ``MT1101-UN9321483-047E``, ``MT1201-CA1234``. These are what a CUSCAR is.
- reports of moves: arrival (MT3101, MT3201), loading (MT4101, MT4201) and tally reports
  (MT5101/5102, MT5201/5202); main data 2, deletion 3. A terminal reports a voyage's containers as
  they arrive or are loaded, batch by batch, so a voyage has many: each is named by its voyage and
  its first container (its first bill where it has none, as by air): ``MT3101-UN9321483-047E-MSKU1234565``.
- applications, by bill: the import distribution and dispatch arrivals (MT3102, MT3202) and
  applications (MT6101/6102, MT6201/6202), changes of port, off-loads and changes of transport
  (MT8101-8104, MT8201-8204), empty container movements (MTECIM, MTECEX). A carrier lodges many per
  voyage, each for its bills, so the first bill joins the name: ``MT6101-UN9321483-047E-LGHB2611001``.
  The changes and empty movements are published for main data (2) only: they are withdrawn by a
  new application, not deleted.
- the packing list (MT7101), one per container packed: ``MT7101-UN9321483-048W-OOLU1002005``.
- the international transfer check (MT8105 sea, MT8205 air), by the import bill and the export bill
  it pairs: ``MT8105-LGHB2611001-LGHX2611777``.

A deletion (3) names the lodgement it deletes as its original did, so it finds the same
declaration, exactly as an MT1101 deletion does (a new version, the authority's C0001 cancels).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from customs_gateway.records import Submission

CARGO_REPORTS = ("MT1101", "MT2101", "MT1201", "MT2201")
REPORTS = ("MT3101", "MT3201", "MT4101", "MT4201", "MT5101", "MT5102", "MT5201", "MT5202")
APPLICATIONS = (
    "MT3102",
    "MT3202",
    "MT6101",
    "MT6102",
    "MT6201",
    "MT6202",
    "MT8101",
    "MT8102",
    "MT8103",
    "MT8104",
    "MT8201",
    "MT8202",
    "MT8203",
    "MT8204",
    "MTECIM",
    "MTECEX",
)
PACKING = ("MT7101",)
TRANSFER = ("MT8105", "MT8205")
TYPES = CARGO_REPORTS + REPORTS + APPLICATIONS + PACKING + TRANSFER

#: the function codes each type's published definitions exist for (the files ``..._<type>_<code>.xsd``)
FUNCTIONS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(CARGO_REPORTS, ("9", "0", "5", "3")),
    **dict.fromkeys(REPORTS + APPLICATIONS + PACKING, ("2", "3")),
    **dict.fromkeys(TRANSFER + tuple(t for t in APPLICATIONS if t.startswith(("MT8", "MTEC"))), ("2",)),
}


def is_cargo_report(message_type: str) -> bool:
    """A manifest (and its amendments and deletion): the only China manifest type a CUSCAR expresses."""
    return message_type in CARGO_REPORTS


def clears_goods(message_type: str) -> bool:
    """Whether an authority's answer to this lodgement decides about its goods (False: a report's or application's receipt).

    An arrival or tally report, an application or a packing list is accepted or refused by its
    receipt; that says nothing of whether its containers may leave, so its answers must not
    overwrite a container's customs state (a release the manifest got stays the gates' answer).
    """
    return message_type not in TYPES or is_cargo_report(message_type)


def _first(values: list[str]) -> str:
    return next((value for value in values if value), "")


def lodgement_reference(sub: Submission) -> str:
    """The business reference of a China manifest-family submission: what the authority knows it by (70 at most)."""
    kind = sub.message_type
    if kind in TRANSFER:
        sides = [bill.number for bill in sub.bills[:2]]
        return "-".join([kind, *sides])[:70]
    if kind in PACKING:
        return "-".join(p for p in (sub.manifest_reference, _first(list(sub.containers))) if p)[:70]
    if kind in REPORTS:
        first = _first(list(sub.containers)) or _first([b.number for b in sub.bills])
        return "-".join(p for p in (sub.manifest_reference, first) if p)[:70]
    if kind in APPLICATIONS:
        return "-".join(p for p in (sub.manifest_reference, _first([b.number for b in sub.bills])) if p)[:70]
    return sub.manifest_reference
