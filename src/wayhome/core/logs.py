"""Structured logs: one JSON object a line, for a log collector.

Only what the record says by design is written: time, level, logger, the message, the
request id (from the audit context, to find the request's audit events) and the HTTP
status when Django gives one. Extra objects that Django attaches to records (the request
itself, with its query string and form data) are never serialised, so a person's name
typed into a search or a form cannot reach the logs through them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from wayhome.audit import context


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = context.current().request_id
        if request_id:
            entry["request_id"] = request_id
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
