"""One access log line per request under Daphne, not two.

Daphne writes the access log itself (its ``AccessLogGenerator``: one NCSA line per request on
standard output, or the ``--access-log`` file). Its ``HTTPFactory`` is also a Twisted
``twisted.web.http.HTTPFactory``, whose ``log()`` formats a second, combined-format line of the
same request at every response and hands it to Twisted's legacy log, which Daphne points at an
observer that discards everything (``verbosity`` 0 or 1) or, at ``verbosity`` 2, passes it to
Python's logging at INFO beside its own line. That line cost every answer the formatting and a
trip through Twisted's log publisher on the event loop thread: on the container benchmark
(``bench/tracking_query.py``) the answer's p99 over HTTP fell from 2.84 to 2.03 ms without it, and
its p50 by about 0.05 ms.

    keep_one_access_log()   # hub/asgi.py, before Daphne starts listening

Daphne's own access log is unchanged (``tests/unit/hub/test_access_log.py``).
"""

from __future__ import annotations


def _no_second_line(factory, request) -> None:
    """Twisted's per-request log line: Daphne's action logger writes the access log instead."""


def keep_one_access_log() -> None:
    """Stop Daphne's HTTP factory from formatting Twisted's duplicate access line per request."""
    try:
        from daphne.http_protocol import HTTPFactory
    except ImportError:  # served by another ASGI server: nothing to change
        return
    HTTPFactory.log = _no_second_line
