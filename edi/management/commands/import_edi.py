"""``import_edi PATH...``: bulk import of message files and folders, with a progress bar and a summary.

Each file is received as one raw message over the ``file`` channel, for the party named by
``--party`` (its EDI identity) or, without it, for the party whose EDI identity is the
interchange's sender; processing follows as for any other channel.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from edi.envelope import identify
from edi.exceptions import EdiError
from edi.models import Channel
from edi.services import receive
from tracking.models import Party

SUFFIXES = {".edi", ".edifact", ".txt", ".itc", ".xml", ".dat", ".msg", ""}


def collect(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"{raw}: no such file or folder")
    return files


class Command(BaseCommand):
    help = "Import EDI/XML message files (or folders of them)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--party", help="EDI identity of the sending party (default: the interchange sender)")

    def handle(self, *args, **options) -> None:
        files = collect(options["paths"])
        fixed_party = None
        if options["party"]:
            fixed_party = Party.objects.filter(edi_id=options["party"]).first()
            if fixed_party is None:
                raise CommandError(f"no party with EDI identity {options['party']!r}")
        console = Console(file=self.stdout, stderr=False)
        counts: Counter[str] = Counter()
        failures: list[tuple[str, str]] = []
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("importing", total=len(files))
            for path in files:
                outcome, detail = self.import_one(path, fixed_party)
                counts[outcome] += 1
                if detail:
                    failures.append((str(path), detail))
                progress.advance(task)
        table = Table(title=f"import_edi: {len(files)} files")
        table.add_column("outcome")
        table.add_column("files", justify="right")
        for outcome, count in sorted(counts.items()):
            table.add_row(outcome, str(count))
        console.print(table)
        for path, detail in failures[:50]:
            console.print(f"[red]{path}[/red]: {detail}")
        if failures:
            raise CommandError(f"{len(failures)} of {len(files)} files were refused")

    def import_one(self, path: Path, fixed_party: Party | None) -> tuple[str, str]:
        if path.stat().st_size > settings.EDI_MAX_MESSAGE_BYTES:
            return "refused", f"larger than {settings.EDI_MAX_MESSAGE_BYTES} bytes"
        body = path.read_bytes()
        party = fixed_party
        try:
            if party is None:
                sender = identify(body).sender
                party = Party.objects.filter(edi_id=sender).first() if sender else None
                if party is None:
                    return "refused", f"sender {sender!r} is not a registered party (use --party)"
            receipt = receive(body, channel=Channel.FILE, party=party, content_type="")
        except EdiError as exc:
            return "refused", f"{exc.code}: {exc.message}"
        return ("duplicate" if receipt.duplicate else "stored"), ""
