"""`wayhome import FILE --source NAME --user USERNAME [--commit]`: the import wizard on
the command line. Without --commit it reads the list and names every problem, writing
nothing; with --commit it imports in one transaction, so an interrupted run (even a
SIGKILL) leaves nothing and can simply be run again."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from wayhome.accounts.models import User
from wayhome.linkage.io import ListFormatError, read_table
from wayhome.lists import services
from wayhome.lists.models import ListImport
from wayhome.lists.reading import FIELDS, read_list, suggest_mapping
from wayhome.matching.requests import rankings_refresh
from wayhome.matching.services import rankings_refreshed_by_caller


class Command(BaseCommand):
    help = "Import a person list (CSV or XLSX) into the registry, linking each row."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True, help="who sent the list")
        parser.add_argument("--user", required=True, help="username the import is done as")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=HEADER",
            help=f"read column HEADER as FIELD ({', '.join(FIELDS)}); repeatable; "
            "by default the source's remembered mapping, else what the headers say",
        )
        parser.add_argument("--encoding", default="", choices=["", *services.ENCODING_CHOICES])
        parser.add_argument("--date", type=dt.date.fromisoformat, help="date of the list")
        parser.add_argument("--header-row", type=int, default=0)
        parser.add_argument("--skip-invalid", action="store_true", help="leave out bad rows")
        parser.add_argument("--commit", action="store_true", help="write (default: preview)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read ({exc.strerror})") from exc
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError("no active user of that name")
        mapping = self._mapping(options["map"])
        list_date = options["date"] or timezone.localdate()
        try:
            if options["commit"]:
                self._commit(user, path, data, mapping, list_date, options)
            else:
                self._preview(data, mapping, list_date, options)
        except (ValidationError, ListFormatError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("\n".join(messages)) from exc
        except PermissionError as exc:
            raise CommandError(str(exc)) from exc

    def _mapping(self, pairs: list[str]) -> dict[str, str]:
        mapping = {}
        for pair in pairs:
            field, sep, header = pair.partition("=")
            if not sep or field not in FIELDS:
                raise CommandError(
                    f"--map {pair!r}: write FIELD=HEADER, FIELD one of {list(FIELDS)}"
                )
            mapping[field] = header
        return mapping

    def _preview(
        self, data: bytes, mapping: dict[str, str], list_date: dt.date, options: dict[str, Any]
    ) -> None:
        table = read_table(data, options["encoding"] or None)
        first = read_list(table, {}, list_date, timezone.localdate())
        mapping = mapping or suggest_mapping(first.headers)
        read = read_list(
            table,
            mapping,
            list_date,
            timezone.localdate(),
            header_row=options["header_row"] or None,
        )
        self.stdout.write(f"encoding: {read.encoding}; header row {read.header_row}")
        self.stdout.write("columns: " + ", ".join(f"{f}={h}" for f, h in mapping.items()))
        for problem in read.all_problems():
            self.stdout.write(str(problem))
        self.stdout.write(
            f"{len(read.rows)} rows, {len(read.invalid)} with problems; nothing written "
            "(add --commit to import)"
        )

    @transaction.atomic
    def _commit(
        self,
        user: User,
        path: Path,
        data: bytes,
        mapping: dict[str, str],
        list_date: dt.date,
        options: dict[str, Any],
    ) -> None:
        draft = services.list_import_upload(
            actor=user,
            source_name=options["source"],
            file_name=path.name,
            data=data,
            list_date=list_date,
            encoding=options["encoding"],
        )
        if draft.status == ListImport.State.COMMITTED:
            self.stdout.write(f"already imported on {draft.committed_at:%Y-%m-%d}: nothing changed")
            return
        if mapping or options["header_row"] or options["skip_invalid"]:
            services.list_import_configure(
                actor=user,
                list_import=draft,
                mapping=mapping or draft.mapping,
                encoding=draft.encoding,
                header_row=options["header_row"] or draft.header_row,
                list_date=list_date,
                skip_invalid=options["skip_invalid"],
            )

        def progress(done: int, total: int, message: str = "") -> None:
            sys.stderr.write(f"row {done}/{total}\n")  # once per batch of rows
            sys.stderr.flush()

        with rankings_refreshed_by_caller():  # ranked once below, not per batch
            done = services.list_import_commit(actor=user, list_import=draft, progress=progress)
        counts = ", ".join(f"{k} {v}" for k, v in sorted(done.counts.items()))
        self.stdout.write(f"imported {done.uuid}: {counts}")
        ranked, _later = rankings_refresh(user.agency_key, missing=False)
        if ranked:
            requests = "request" if ranked == 1 else "requests"
            self.stdout.write(f"candidates ranked again for {ranked} tracing {requests}")
