"""How sensitive each field of the jobs app is (see docs/security.md).

A job's progress is ``system``; its parameters, messages and results describe the case
work it did (an import's counts, an export's file), so they are ``case``.
"""

from __future__ import annotations

from wayhome.accounts.sensitivity import FieldClass as FC
from wayhome.accounts.sensitivity import register

register(
    "jobs.Job",
    {
        "kind": FC.SYSTEM,
        "status": FC.SYSTEM,
        "params": FC.CASE,
        "done": FC.SYSTEM,
        "total": FC.SYSTEM,
        "message": FC.CASE,
        "result": FC.CASE,
        "error": FC.CASE,
        "attempts": FC.SYSTEM,
        "started_at": FC.SYSTEM,
        "finished_at": FC.SYSTEM,
    },
)
