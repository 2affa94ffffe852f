"""An authority simulator: the embedded default transport and the tests' counterpart.

    >>> sim = Simulator()
    >>> sim.trust()                                       # the gateway trusts its certificates
    >>> sim.plan("LRN123", ["accept", "inspect", "release"], agency=[("H01", "C03")])
    >>> transport.override(sim); dispatch(declaration.pk); sim.deliver()

It speaks the gateway's own messages over the same transport: it takes DXP envelopes, checks
the signature and the schema of what they carry (rejecting malformed content with its codes),
acknowledges at the transport layer at once, and queues the business answers (MT9999 for
manifests, WCO DM notifications for declarations, an agency's decisions), each signed with its
own key. Rules steer it: a plan of answers per business reference, a first version rejected,
answers lost, duplicated or delivered in reverse order, a transport that fails. The demo steers
it by a word in the business reference (an LRN, or a manifest's voyage number): ``REJECT``
(first version rejected), ``HOLD``, ``INSPECT``, ``REFUSE``, ``AGENCY`` (an inspection agency
holds, then releases), ``SILENT`` (no answer: the retry check resubmits); otherwise accepted
and released. With ``message_format = "edifact"`` (``CUSTOMS_MESSAGE_FORMAT``) it is an
authority that takes CUSDEC/CUSCAR and answers CONTRL and CUSRES (:mod:`.edifact`).
"""

from __future__ import annotations

import base64
import secrets
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from lxml import etree

from customs_gateway import envelope, schemas, signing
from customs_gateway.edifact import is_edifact
from customs_gateway.exceptions import CustomsError, SignatureError, TransportError
from customs_gateway.keys import self_signed
from customs_gateway.manifest_types import TYPES, is_cargo_report
from customs_gateway.records import extract, kid, parse, text
from customs_gateway.signing import DS, TrustedKey, XmlDsigSigner
from customs_gateway.simulator import edifact as sim_edifact
from customs_gateway.simulator import messages
from customs_gateway.transport import TransportReceipt
from edi.acknowledge import new_control_reference

CUSTOMS_ID = "CNCUSTOMS-SIM"
AGENCY_ID = "CIQ-SIM"


@dataclass
class Rules:
    """How the simulated authority behaves; the demo and the tests change these."""

    default_plan: list[str] = field(default_factory=lambda: ["accept", "release"])
    plans: dict[str, list[str]] = field(default_factory=dict)
    agency: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    reject_first: set[str] = field(default_factory=set)
    drop_next: int = 0
    duplicate: bool = False
    reverse: bool = False
    fail_next: int = 0
    # the demo steers by a word in the business reference (an LRN, or a manifest's voyage)
    markers: dict[str, list[str]] = field(
        default_factory=lambda: {
            "HOLD": ["accept", "hold"],
            "INSPECT": ["accept", "inspect", "release"],
            "REFUSE": ["accept", "inspect", "refuse"],
            "AGENCY": ["accept", "agency:1", "release", "agency:2"],
            "SILENT": [],
        }
    )
    marker_agency: list[tuple[str, str]] = field(default_factory=lambda: [("H01", "sampling"), ("C03", "")])


@dataclass
class Sent:
    """What the simulator read from one envelope."""

    message_id: str
    kind: str
    message_type: str
    function_code: str
    reference: str
    version: int
    voyage: str = ""
    vessel: str = ""
    bills: list[str] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    dialect: str = "xml"  # or "edifact": answered with CUSRES instead of MT9999/DMS


class Simulator:
    """A customs authority and an inspection agency that answer by :class:`Rules`."""

    def __init__(
        self,
        *,
        auto_deliver: bool = False,
        message_format: str = "",
        customs: XmlDsigSigner | None = None,
        agency: XmlDsigSigner | None = None,
    ) -> None:
        self.rules = Rules()
        self.outbox: list[bytes] = []
        self.received: list[bytes] = []
        self.registrations: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self.auto_deliver = auto_deliver
        self.message_format = message_format or settings.CUSTOMS_MESSAGE_FORMAT  # what this authority speaks
        self.customs = customs or XmlDsigSigner(*self_signed("logihub customs authority simulator (test/demo)"))
        self.agency = agency or XmlDsigSigner(*self_signed("logihub inspection agency simulator (test/demo)"))
        self._trusted = False

    # steering -----------------------------------------------------------------------------
    def plan(self, reference: str, steps: list[str], *, agency: list[tuple[str, str]] | None = None) -> None:
        """Answer ``reference`` with ``steps`` after the transport ack; ``agency`` decisions per step."""
        self.rules.plans[reference] = steps
        if agency is not None:
            self.rules.agency[reference] = agency

    def trust(self) -> None:
        """Register the simulator's certificates as trusted by the gateway (idempotent)."""
        from customs_gateway.inbound import trust

        trust(CUSTOMS_ID, certificate=self.customs.cert_pem, name="customs authority simulator")
        trust(AGENCY_ID, certificate=self.agency.cert_pem, name="inspection agency simulator", role="inspection")
        self._trusted = True

    # the transport ------------------------------------------------------------------------
    def send(self, body: bytes, *, message_id: str) -> TransportReceipt:
        if self.rules.fail_next > 0:
            self.rules.fail_next -= 1
            raise TransportError("simulated network failure: connection reset by the authority's node")
        self.received.append(body)
        speaks_edifact = is_edifact(body)
        sent = sim_edifact.read(body, Sent) if speaks_edifact else self._read(body)
        self._answer(sent)
        if self.auto_deliver:
            transaction.on_commit(self._deliver_later)
        if speaks_edifact:  # the transport layer's answer in EDIFACT is a CONTRL
            return TransportReceipt(sim_edifact.contrl(body), f"CONTRL-{message_id}"[:255], CUSTOMS_ID)
        ack = messages.dxp_rep(receiver="LOGIHUB", message_id=message_id, sender=CUSTOMS_ID)
        return TransportReceipt(body=ack, reference=f"ACK-{message_id}"[:255], sender=CUSTOMS_ID)

    def deliver(self) -> list:
        """Hand every queued answer to the gateway (duplicated or reversed as the rules say)."""
        from customs_gateway.edifact import receive_cusres
        from customs_gateway.inbound import receive

        if not self._trusted:
            self.trust()
        batch, self.outbox = self.outbox, []
        if self.rules.reverse:
            batch.reverse()
        if self.rules.duplicate:
            batch = [body for body in batch for _ in range(2)]
        results: list = []
        for body in batch:
            if is_edifact(body):  # a CUSRES: through the translation layer, on the authority's channel
                results.extend(receive_cusres(body, sender=CUSTOMS_ID))
            else:
                results.append(receive(body))
        return results

    def _deliver_later(self, delay: float = 0.3) -> None:
        """Answer asynchronously, as an authority does: after the gateway has recorded its send."""

        def later() -> None:
            from django.db import connection

            try:
                self.deliver()
            finally:
                connection.close()

        timer = threading.Timer(delay, later)
        timer.daemon = True
        timer.start()

    # reading ------------------------------------------------------------------------------
    def _read(self, body: bytes) -> Sent:
        root = parse(body)
        info, data, keys = envelope.unwrap(root)
        inner = parse(data)
        problems = self._check(data, inner)
        reference = keys.get("BusinessRef", "")
        version = int(keys.get("Version", "1") or 1)
        head = kid(inner, "Head")
        sent = Sent(
            info.message_id,
            "manifest" if head is not None else "declaration",
            info.msg_type,
            text(head, "FunctionCode") if head is not None else "",
            reference,
            version,
            problems=problems,
        )
        if head is not None:  # the bills, containers and voyage as the gateway itself reads them, for every type
            manifest = extract(inner)
            sent.voyage, sent.vessel = manifest.voyage, manifest.vessel
            sent.bills = list(dict.fromkeys(bill.number for bill in manifest.bills if bill.number))
            sent.containers = sorted(number for number in manifest.containers if number)
        else:
            body_el = kid(inner, "Declaration")
            sent.function_code = {"13": "5", "14": "3"}.get(text(body_el, "FunctionCode"), "9")
        return sent

    def _check(self, data: bytes, inner: etree._Element) -> list[tuple[str, str]]:
        """Integrity of the sender's signature (X.509 or SM2, the key it carries) and our schema."""
        problems = []
        try:
            signing.verify(data, [_self_vouched(inner)])
        except SignatureError as exc:
            problems.append(("SIG001" if exc.code == "unsigned" else "SIG002", exc.message[:200]))
        try:
            schemas.validate(inner)
        except CustomsError as exc:
            problems.append(("XSD001", exc.message[:200]))
        return problems

    # answering ----------------------------------------------------------------------------
    def _registration(self, sent: Sent) -> str:
        if sent.reference not in self.registrations:
            prefix = "CN" if sent.kind == "manifest" else "26CN"
            self.registrations[sent.reference] = f"{prefix}{secrets.token_hex(7).upper()}"
        return self.registrations[sent.reference]

    def _steps(self, sent: Sent) -> list[str]:
        if sent.problems:
            return ["reject"]
        rejecting = sent.reference in self.rules.reject_first or "REJECT" in sent.reference.upper()
        if rejecting and self.versions.get(sent.reference, 0) < 1:
            self.versions[sent.reference] = sent.version
            return ["reject"]
        self.versions[sent.reference] = sent.version
        if sent.function_code == "3":
            return ["cancel"]
        if sent.function_code == "5":
            return ["amend"]
        if sent.reference in self.rules.plans:
            return list(self.rules.plans[sent.reference])
        if sent.message_type in TYPES and not is_cargo_report(sent.message_type):
            # a report or an application is accepted or refused by its receipt; it clears no goods
            return [] if "SILENT" in sent.reference.upper() else ["accept"]
        for marker, steps in self.rules.markers.items():
            if marker in sent.reference.upper():
                self.rules.agency.setdefault(sent.reference, self.rules.marker_agency)
                return list(steps)
        return list(self.rules.default_plan)

    def _answer(self, sent: Sent) -> None:
        for step in self._steps(sent):
            decisions = self.rules.agency.get(sent.reference, [])
            if step.startswith("agency:"):
                number = int(step.split(":")[1])
                self._queue(self._agency(sent, number, decisions[number - 1]), self.agency, sent, "AGENCY")
                continue
            if sent.dialect == "edifact":
                self._queue_cusres(sent, step)
                continue
            if sent.kind == "declaration" and step not in messages.DMS_CODE:
                continue  # WCO DM notifications have no function code for this step
            self._queue(self._customs(sent, step), self.customs, sent, sent.message_type)

    def _queue(self, document: bytes, signer: XmlDsigSigner, sent: Sent, msg_type: str) -> None:
        if self.rules.drop_next > 0:
            self.rules.drop_next -= 1
            return
        answer_id = f"SIM{secrets.token_hex(8).upper()}"
        body = envelope.wrap(
            signer.sign(document),
            message_id=answer_id,
            sender=CUSTOMS_ID if signer is self.customs else AGENCY_ID,
            receiver="LOGIHUB",
            msg_type=msg_type,
            keys={"RefMsgId": sent.message_id[:64]},
        )
        self.outbox.append(body)

    def _queue_cusres(self, sent: Sent, step: str) -> None:
        reasons = sent.problems or ([("R001", "data element missing or invalid")] if step == "reject" else [])
        registration = "" if step == "reject" else self._registration(sent)
        document = sim_edifact.cusres(
            sent,
            step,
            registration=registration,
            reasons=reasons,
            sender=CUSTOMS_ID,
            receiver="LOGIHUB",
            reference=new_control_reference(),
        )
        if document is None:
            return
        if self.rules.drop_next > 0:
            self.rules.drop_next -= 1
            return
        self.outbox.append(document)

    def _customs(self, sent: Sent, step: str) -> bytes:
        answer_id = f"SIM{secrets.token_hex(8).upper()}"
        reasons = sent.problems or ([("R001", "data element missing or invalid")] if step == "reject" else [])
        if sent.kind == "manifest":
            trigger = "accept" if step == "amend" else step
            return messages.mt9999(
                message_id=answer_id,
                sender=CUSTOMS_ID,
                receiver="LOGIHUB",
                function_code=sent.function_code,
                voyage=sent.voyage,
                vessel=sent.vessel,
                trigger=trigger,
                bills=sent.bills,
                containers=sent.containers,
                reasons=reasons,
            )
        mrn = "" if step == "reject" else self._registration(sent)
        return messages.dms(
            message_id=answer_id,
            code=messages.DMS_CODE[step],
            lrn=sent.reference,
            mrn=mrn,
            version=sent.version,
            reasons=reasons,
        )

    def _agency(self, sent: Sent, number: int, decision: tuple[str, str]) -> bytes:
        code, reason = decision
        return messages.decision(
            message_id=f"SIM{secrets.token_hex(8).upper()}",
            agency=AGENCY_ID,
            reference=sent.reference,
            version=sent.version,
            number=number,
            checks=[(1, "H218", code, reason)],
        )

    def forged(self, answered_message_id: str, document: bytes) -> bytes:
        """An answer signed with a key nobody trusts, in a genuine-looking envelope (for tests)."""
        key, cert = self_signed("forger")
        return envelope.wrap(
            XmlDsigSigner(key, cert).sign(document),
            message_id=f"FORGED{secrets.token_hex(4)}",
            sender=CUSTOMS_ID,
            receiver="LOGIHUB",
            msg_type="MT9999",
            keys={"RefMsgId": answered_message_id[:64]},
        )

    def tampered(self, body: bytes) -> bytes:
        """A genuine queued answer with its carried document changed after signing (for tests)."""
        _info, data, _keys = envelope.unwrap(parse(body))
        document = parse(data)
        target = next(e for e in document.iter() if isinstance(e.tag, str) and (e.text or "").strip())
        target.text = (target.text or "") + "9"
        changed = etree.tostring(document, xml_declaration=True, encoding="UTF-8")
        root = parse(body)
        root.find(f"{{{envelope.DXP}}}Data").text = base64.b64encode(changed).decode()
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _self_vouched(inner: etree._Element) -> TrustedKey:
    """The key a message carries, taken at its word: the simulator checks integrity, not identity."""
    certificate = "".join((inner.findtext(f".//{{{DS}}}X509Certificate") or "").split())
    if certificate:
        pem = f"-----BEGIN CERTIFICATE-----\n{certificate}\n-----END CERTIFICATE-----\n"
        try:
            return TrustedKey("sender", "x509", pem, signing.cert_fingerprint(pem))
        except ValueError:
            return TrustedKey("sender", "x509", "", "")
    public_hex = (inner.findtext(f".//{{{DS}}}KeyName") or "").strip().lower()
    return TrustedKey("sender", "sm2", public_hex, signing.sm2_fingerprint(public_hex))


_embedded: list[Simulator] = []


def embedded() -> Simulator:
    """The process's simulator for ``make run``: answers delivered as soon as the sending commits."""
    if not _embedded:
        _embedded.append(Simulator(auto_deliver=True))
    return _embedded[0]


def embedded_transport() -> Simulator:
    return embedded()
