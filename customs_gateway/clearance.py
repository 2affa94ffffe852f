"""What the gates ask the customs gateway: may this container leave the bonded zone?

    >>> gate_clearance(["MSKU1234565"])["MSKU1234565"]
    Clearance(number="MSKU1234565", known=True, state="RLSD", released=True, holds=[])

The answer comes from the container's status in the tracking store, which every CUSTOMS
event feeds (the gateway's own clearance transitions, CUSRES, MT9999 receipts, an inspection
agency's decisions): released means the latest customs state is RLSD and no authority or
agency still holds the container. The gateway emits RLSD only when customs and every
required agency check have released, so one projection answers for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracking.choices import CustomsEventType
from tracking.models import ContainerStatus


@dataclass(frozen=True)
class Clearance:
    number: str
    known: bool
    state: str = ""
    released: bool = False
    holds: list = field(default_factory=list)


def gate_clearance(numbers: list[str]) -> dict[str, Clearance]:
    """The clearance of each container number, in one query."""
    wanted = {n.upper() for n in numbers}
    rows = ContainerStatus.objects.filter(equipment__reference__in=wanted).select_related("equipment")
    answer = {n: Clearance(number=n, known=False) for n in wanted}
    for row in rows:
        number = row.equipment.reference
        holds = list(row.holds or [])
        released = row.customs_state == CustomsEventType.RLSD and not holds
        answer[number] = Clearance(number=number, known=True, state=row.customs_state, released=released, holds=holds)
    return answer
