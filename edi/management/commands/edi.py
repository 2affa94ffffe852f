"""``manage.py edi``: the EDIFACT tools.

    edi build-directories [--source PATH] [--out schemas/edifact]   compile the UN directories
    edi validate FILE                                             errors with positions; exit 1 if any
    edi translate FILE [--format json|edifact|xml] [--recipient ID]
        json: the translation document; edifact: its events as the partners' outbound messages;
        xml: a manifest's bills as the China MT1101 (notes on what was left out go to stderr)

Input that is not a message ends with exit status 1 and one line on standard error; an
unexpected failure with exit status 2 and one line; never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from edi.exceptions import EdiError

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "standards" / "edifact"
DEFAULT_RECIPIENT = "SUBSCRIBER"  # the outbound form's UNB recipient unless --recipient (customs: the authority)


class Command(BaseCommand):
    help = "EDIFACT tools: build-directories, validate FILE, translate FILE."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        build = sub.add_parser("build-directories", help="Compile ../shared/standards/edifact into schemas/edifact.")
        build.add_argument("--source", type=Path, default=None, help="Directory data folder (default %(default)s).")
        build.add_argument("--out", type=Path, default=None, help="Output folder (default schemas/edifact).")
        validate = sub.add_parser("validate", help="Validate FILE against ISO 9735 and its UN/EDIFACT directory.")
        validate.add_argument("file", type=Path)
        translate = sub.add_parser("translate", help="Print the translation document of FILE.")
        translate.add_argument("file", type=Path)
        translate.add_argument(
            "--format",
            choices=["json", "edifact", "xml"],
            default="json",
            help="json: the document; edifact: the events as IFTSTA/CODECO/COARRI/CUSDEC/CUSCAR; "
            "xml: a manifest's bills as the China MT1101.",
        )
        translate.add_argument("--recipient", default=None, help="Interchange recipient of the outbound form.")

    def handle(self, *args, **options) -> None:
        name = options["subcommand"]
        try:
            if name == "build-directories":
                self.build(options["source"], options["out"])
            elif name == "validate":
                self.validate(options["file"])
            else:
                self.translate(options["file"], options["format"], options.get("recipient"))
        except EdiError as exc:
            raise CommandError(_one_line(f"{options.get('file') or name}: {exc.message}"), returncode=1) from None
        except (CommandError, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the promise is one line, never a traceback
            raise CommandError(_one_line(f"edi {name}: unexpected {type(exc).__name__}: {exc}"), returncode=2) from None

    def build(self, source: Path | None, out: Path | None) -> None:
        from edi.directory.build import build_all
        from edi.directory.load import SCHEMA_DIR

        source = source or DEFAULT_SOURCE
        if not Path(source).is_dir():
            raise CommandError(f"Directory data folder not found: {source}", returncode=1)
        written = build_all(Path(source), out or SCHEMA_DIR)
        total = sum(p.stat().st_size for p in written)
        self.stdout.write(f"{len(written)} directories written to {out or SCHEMA_DIR} ({total} bytes)")

    def validate(self, path: Path) -> None:
        from edi.translate import format_issue, translate_file

        document = translate_file(path)
        errors = 0
        for issue in document["interchangeErrors"]:
            self.stdout.write(format_issue(issue))
            errors += 1
        for issue in document.get("interchangeWarnings", ()):
            self.stdout.write(format_issue(issue))
        for message in document["messages"]:
            self.stdout.write(f"{message['type']} {message['version']} {message['reference']}: {message['status']}")
            for issue in message["errors"] + message["warnings"]:
                self.stdout.write("  " + format_issue(issue))
            errors += len(message["errors"])
        if not document["messages"] and not document["interchangeErrors"]:
            for issue in document["errors"]:
                self.stdout.write(format_issue(issue))
                errors += 1
        self.stdout.write(f"{path}: {len(document['messages'])} messages, {errors} errors")
        if errors:
            raise CommandError(f"{path}: {errors} errors", returncode=1)

    def translate(self, path: Path, output: str, recipient: str | None = None) -> None:
        from edi.translate import translate_file

        document = translate_file(path)
        if output == "json":
            self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
            return
        from django.conf import settings

        from edi.emit.forms import outbound_form

        sender = settings.PLATFORM_EDI_ID
        text, notes = outbound_form(document, output, sender=sender, recipient=recipient or DEFAULT_RECIPIENT)
        for note in notes:
            self.stderr.write(f"{path}: {note}")
        self.stdout.write(text)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:500]
