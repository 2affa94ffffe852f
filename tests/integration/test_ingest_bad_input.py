"""Bad input at every channel of the real stack, each followed by a good message that still goes through.

HTTP (a live Daphne) and AMQP (``manage.py consume_edi`` as its own process, the partners' exchange on the
stack's RabbitMQ): empty, binary, truncated, 50 MB, wrong sender, wrong or no key, malformed UTF-8 (an XML
document, and an interchange that declares UTF-8), and zip bombs in disguise (gzip and zip payloads that
claim to be EDIFACT, the gzip one also as ``Content-Encoding: gzip``: never inflated).

What cannot be a message, or may not come from this caller, is refused at the door: over HTTP a 4xx with
the error JSON, over AMQP dead-lettered with the error published to ``reply_to``. What is an interchange
with syntax errors inside (truncated, undecodable bytes) is stored, answered 202, then rejected by
processing with a CONTRL naming the ISO 9735 error and its position (fetched over HTTP, published to the
partner's reply route over AMQP).
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import random
import sys
import time
import uuid
import zipfile

import pytest

from tests.integration.amqp_helpers import Partner
from tests.integration.ingest_helpers import (
    PARTNER_EDI_ID,
    HttpClient,
    all_final,
    amqp,
    fresh_processing_queues,
    interchange,
    make_partner,
    start_worker,
    wait_for,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FIFTY_MB = 50 * 1024 * 1024
OTHER_EDI_ID = "ITOTHER"


@functools.cache
def gzip_bomb() -> bytes:
    """About 1 MB that inflates to 1 GB of zeros: one 10 MB gzip member, repeated (gzip allows members in a row)."""
    member = gzip.compress(b"\0" * 10_000_000, compresslevel=9)
    return member * 100


@functools.cache
def zip_bomb() -> bytes:
    """A zip archive of 20 members of 10 MB of zeros each, named like EDIFACT files."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(20):
            archive.writestr(f"codeco{n:02d}.edi", b"\0" * 10_000_000)
    return out.getvalue()


def good(n: int, tag: str) -> bytes:
    return interchange(PARTNER_EDI_ID, f"{tag}G{n:03d}", 500 + n * 3, 2)


def truncated(tag: str) -> bytes:
    body = interchange(PARTNER_EDI_ID, f"{tag}TRUNC", 900, 3)
    return body[: len(body) // 2]


def unow_with_bad_utf8(tag: str) -> bytes:
    """An interchange that declares UTF-8 (UNOW) with an undecodable byte sequence in BGM."""
    body = interchange(PARTNER_EDI_ID, f"{tag}UTF8", 950, 1)
    body = body.replace(b"UNOC:3", b"UNOW:4").replace(b"+261125:1200+", b"+20261125:1200+")
    return body.replace(b"BGM+34+GATE", b"BGM+34+G\xc3\x28\xff", 1)


BAD_XML_UTF8 = (
    b'<?xml version="1.0" encoding="UTF-8"?><Manifest><Head><SenderID>ITCARRIER</SenderID>'
    b"<MessageID>M\xff\xfe1</MessageID></Head></Manifest>"
)


def bad_cases(tag: str) -> dict[str, bytes]:
    return {
        "empty": b"",
        # fixed bytes: random ones start with "<" one time in 256 and are then (rightly) refused as bad XML
        "binary": b"\x89\x00BIN" + random.Random(7).randbytes(4091),
        "malformed UTF-8 (XML)": BAD_XML_UTF8,
        "gzip bomb as EDIFACT": gzip_bomb(),
        "zip bomb as EDIFACT": zip_bomb(),
        "wrong sender": interchange(OTHER_EDI_ID, f"{tag}WS", 980, 1),
    }


def assert_error(body: dict | None, code: str) -> None:
    assert body and set(body) == {"error"}, body
    assert body["error"]["code"] == code and body["error"]["message"], body


def rss_kb(pid: int) -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# ------------------------------------------------------------------------------------------------- HTTP


@pytest.mark.django_db(transaction=True)
def test_bad_input_over_http_gets_a_clear_error_and_the_next_good_message_goes_through(
    live_daphne, processes, subprocess_env
):
    from edi.models import RawMessage

    fresh_processing_queues()
    _party, key = make_partner()
    make_partner(OTHER_EDI_ID)
    worker = start_worker(processes, subprocess_env, concurrency=1)
    client = HttpClient(live_daphne.http, key)
    tag = uuid.uuid4().hex[:5].upper()
    goods: list[str] = []
    n = 0

    def next_good_goes_through(after: str) -> None:
        nonlocal n
        n += 1
        status, body, _headers = client.post(good(n, tag))
        assert status == 202 and not body["duplicate"], f"the good message after {after}: {status} {body}"
        goods.append(body["id"])

    expected = {
        "empty": (400, "NOT_A_MESSAGE"),
        "binary": (400, "NOT_A_MESSAGE"),
        "malformed UTF-8 (XML)": (400, "XML_SYNTAX"),
        "gzip bomb as EDIFACT": (400, "NOT_A_MESSAGE"),
        "zip bomb as EDIFACT": (400, "NOT_A_MESSAGE"),
        "wrong sender": (403, "WRONG_SENDER"),
    }
    rss_before = rss_kb(live_daphne.process.pid)
    for name, body in bad_cases(tag).items():
        began = time.monotonic()
        status, answer, _headers = client.post(body)
        assert (status, (answer or {}).get("error", {}).get("code")) == expected[name], f"{name}: {status} {answer}"
        assert_error(answer, expected[name][1])
        assert time.monotonic() - began < 10, f"{name} answered in {time.monotonic() - began:.1f}s"
        next_good_goes_through(name)

    status, answer, _headers = client.post(gzip_bomb(), headers={"Content-Encoding": "gzip"})
    assert status == 400, "a gzip Content-Encoding is not inflated: the bytes are what they are"
    assert_error(answer, "NOT_A_MESSAGE")
    grown_mb = (rss_kb(live_daphne.process.pid) - rss_before) / 1024
    assert grown_mb < 200, f"daphne grew by {grown_mb:.0f} MB: something inflated a bomb"
    next_good_goes_through("gzip content encoding")

    for header, code in ((f"Api-Key {key}x", "invalid_key"), ("Api-Key lh_nothing.atall", "invalid_key")):
        status, answer, _headers = client.post(good(99, tag), headers={"Authorization": header})
        assert status == 401, (status, answer)
        assert_error(answer, code)
    anonymous = HttpClient(live_daphne.http)
    status, answer, _headers = anonymous.post(good(98, tag))
    assert status in (401, 403) and answer["error"]["code"], (status, answer)
    next_good_goes_through("wrong keys")

    status, answer, _headers = client.post(b"UNA:+.? 'UNB+UNOC:3+" + b"A" * (FIFTY_MB - 20))
    assert status == 413, (status, answer)
    assert_error(answer, "TOO_LARGE")
    next_good_goes_through("50 MB")

    # interchanges with syntax errors inside: stored, 202, then rejected with a CONTRL naming the error
    contrl_cases = {"truncated": (truncated(tag), "13"), "malformed UTF-8 (UNOW)": (unow_with_bad_utf8(tag), "21")}
    stored = {}
    for name, (body, _code) in contrl_cases.items():
        status, answer, _headers = client.post(body)
        assert status == 202 and not answer["duplicate"], (name, status, answer)
        stored[name] = answer["id"]
        next_good_goes_through(name)

    wait_for(lambda: all_final(goods + list(stored.values())), 120, "the good messages processed", [worker])
    assert RawMessage.objects.filter(pk__in=goods, state="processed").count() == len(goods)
    for name, (_body, code) in contrl_cases.items():
        status, detail = client.get_json(f"/api/v1/edi/messages/{stored[name]}")
        assert status == 200 and detail["state"] == "rejected", (name, detail)
        errors = json.dumps(detail)
        assert f'"code": "{code}"' in errors and '"position"' in errors, (name, errors[:2000])
        status, contrl, headers = client.request("GET", f"/api/v1/edi/messages/{stored[name]}/ack?type=CONTRL")
        assert status == 200 and headers.get("x-acknowledgement-type") == "CONTRL", (name, status)
        assert b"UCI+" in contrl, (name, contrl[:300])
    refused = RawMessage.objects.filter(state="refused").values_list("refusal__code", flat=True)
    assert sorted(refused) == sorted(["NOT_A_MESSAGE"] * 4 + ["XML_SYNTAX", "WRONG_SENDER", "NOT_A_MESSAGE"]), list(
        refused
    )
    assert live_daphne.process.alive()


# ------------------------------------------------------------------------------------------------- AMQP


@pytest.mark.django_db(transaction=True)
def test_bad_input_over_amqp_is_dead_lettered_with_the_error_on_reply_to_and_the_next_good_message_goes_through(
    processes, subprocess_env
):
    from edi.models import RawMessage

    fresh_processing_queues()
    _party, key = make_partner()
    make_partner(OTHER_EDI_ID)
    tag = uuid.uuid4().hex[:5].upper()
    worker = start_worker(processes, subprocess_env, concurrency=1)
    consumer = processes("consume-edi", [sys.executable, "manage.py", "consume_edi"], subprocess_env)
    with amqp() as channel:
        partner = Partner(channel, key)
        consumer.wait_until(lambda: "consuming" in consumer.log(), 60, "consume_edi consuming")
        goods: list[str] = []
        n = 0

        def next_good_goes_through(after: str) -> None:
            nonlocal n
            n += 1
            reply = partner.reply(partner.publish(good(n, tag), f"good-{n}"))
            assert "error" not in reply and reply["state"] == "received", f"the good message after {after}: {reply}"
            goods.append(reply["id"])

        expected = {
            "empty": "NOT_A_MESSAGE",
            "binary": "NOT_A_MESSAGE",
            "malformed UTF-8 (XML)": "XML_SYNTAX",
            "gzip bomb as EDIFACT": "NOT_A_MESSAGE",
            "zip bomb as EDIFACT": "NOT_A_MESSAGE",
            "wrong sender": "WRONG_SENDER",
        }
        dead_expected = 0
        for name, body in bad_cases(tag).items():
            assert_error(partner.reply(partner.publish(body, name)), expected[name])
            dead_expected += 1
            next_good_goes_through(name)
        for name, wrong in (("wrong key", f"{key}x"), ("no key", None)):
            assert_error(partner.reply(partner.publish(good(99, tag), name, key=wrong)), "invalid_key")
            dead_expected += 1
            next_good_goes_through(name)
        assert_error(
            partner.reply(partner.publish(b"UNB+UNOC:3+" + b"A" * FIFTY_MB, "50 MB"), timeout=120), "TOO_LARGE"
        )
        dead_expected += 1
        next_good_goes_through("50 MB")

        stored = {}
        for name, body in (("truncated", truncated(tag)), ("malformed UTF-8 (UNOW)", unow_with_bad_utf8(tag))):
            reply = partner.reply(partner.publish(body, name))
            assert reply.get("state") == "received", (name, reply)
            stored[name] = reply["id"]
            next_good_goes_through(name)

        wait_for(lambda: all_final(goods + list(stored.values())), 120, "the good messages processed", [worker])
        assert RawMessage.objects.filter(pk__in=goods, state="processed", channel="amqp").count() == len(goods)
        assert consumer.alive(), consumer.log()

        acknowledgements: dict[str, bytes] = {}
        wait_for(
            lambda: (
                acknowledgements.update(partner.acknowledgements()) or set(stored.values()) <= set(acknowledgements)
            ),
            30,
            "the CONTRLs published to the partner's reply route",
            [worker],
        )
        for name, message_id in stored.items():
            assert RawMessage.objects.get(pk=message_id).state == "rejected", name
            assert b"UNH+1+CONTRL" in acknowledgements[message_id] and b"UCI+" in acknowledgements[message_id], name

        dead = partner.dead_letters()
        assert len(dead) == dead_expected, f"{len(dead)} dead-lettered, {dead_expected} expected"
        assert all(headers["x-logihub-error-code"] for headers, _body in dead)
        assert not [h for h, _body in dead if {"authorization", "x-death"} & {name.lower() for name in h}]
        assert key.split(".")[1] not in repr([headers for headers, _body in dead]), "a dead letter keeps no key"
        prefixes = [headers["x-logihub-key-prefix"] for headers, _body in dead]
        assert prefixes.count(key.split(".")[0]) == dead_expected - 1  # all but "no key" (a wrong key names its prefix)
        assert any(len(body) > FIFTY_MB for _headers, body in dead), "the 50 MB delivery is dead-lettered whole"


# ------------------------------------------------------------------------------------------------- files


@pytest.mark.django_db(transaction=True)
def test_bad_files_given_to_import_edi_are_refused_by_name_and_the_next_good_file_goes_through(
    processes, subprocess_env, tmp_path
):
    """One ``import_edi`` run over bad files, each followed by a good one, in the order given."""
    import subprocess

    from edi.models import RawMessage

    fresh_processing_queues()
    make_partner()
    make_partner(OTHER_EDI_ID)
    tag = uuid.uuid4().hex[:5].upper()
    worker = start_worker(processes, subprocess_env, concurrency=1)
    big = tmp_path / "fifty-mb.edi"
    with open(big, "wb") as out:  # written sparsely: 50 MB of file, no 50 MB in memory
        out.write(b"UNA:+.? 'UNB+UNOC:3+" + PARTNER_EDI_ID.encode())
        out.truncate(FIFTY_MB)
    refused = {
        "empty": ("NOT_A_MESSAGE", b""),
        "binary": ("NOT_A_MESSAGE", bad_cases(tag)["binary"]),
        "malformed UTF-8 (XML)": ("XML_SYNTAX", BAD_XML_UTF8),
        "gzip bomb as EDIFACT": ("NOT_A_MESSAGE", gzip_bomb()),
        "zip bomb as EDIFACT": ("NOT_A_MESSAGE", zip_bomb()),
        "wrong sender": ("WRONG_SENDER", bad_cases(tag)["wrong sender"]),
        "50 MB": ("larger than", None),
    }
    stored_bad = {"truncated": truncated(tag), "malformed UTF-8 (UNOW)": unow_with_bad_utf8(tag)}
    paths, names = [], {}
    for n, (name, (_code, body)) in enumerate([*refused.items(), *((k, ("", v)) for k, v in stored_bad.items())]):
        path = big if body is None else tmp_path / f"{n:02d}-bad.edi"
        if body is not None:
            path.write_bytes(body)
        good_path = tmp_path / f"{n:02d}-good.edi"
        good_path.write_bytes(good(n + 1, tag))
        paths += [str(path), str(good_path)]
        names[name] = path
    done = subprocess.run(
        [sys.executable, "manage.py", "import_edi", "--party", PARTNER_EDI_ID, *paths],
        env={**subprocess_env, "COLUMNS": "400"},  # one line per refused file, however long its path
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 1 and f"{len(refused)} of {len(paths)} files were refused" in out, out
    summary = " ".join(out.split())
    assert f"refused │ {len(refused)}" in summary and f"stored │ {len(paths) - len(refused)}" in summary, out
    for name, (code, _body) in refused.items():
        lines = [line for line in out.splitlines() if f"{names[name]}:" in line]
        assert len(lines) == 1 and code in lines[0], f"{name}: {lines or out}"

    files = RawMessage.objects.filter(channel="file")
    goods = [str(i) for i in files.filter(control_reference__contains=f"{tag}G").values_list("id", flat=True)]
    assert len(goods) == len(refused) + len(stored_bad), "every good file after a bad one stored"
    kept = [str(files.get(control_reference=f"{tag}{suffix}").pk) for suffix in ("TRUNC", "UTF8")]
    wait_for(lambda: all_final(goods + kept), 120, "the good files processed", [worker])
    assert files.filter(pk__in=goods, state="processed").count() == len(goods)
    assert files.filter(pk__in=kept, state="rejected").count() == len(kept), "syntax errors inside: rejected"
    assert sorted(files.filter(state="refused").values_list("refusal__code", flat=True)) == sorted(
        ["NOT_A_MESSAGE"] * 4 + ["XML_SYNTAX", "WRONG_SENDER"]
    ), "each refusal recorded (the 50 MB file is not read, only its size reported)"
