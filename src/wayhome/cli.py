"""The ``wayhome`` command: Django's management commands under one name.

Deployments choose their settings with DJANGO_SETTINGS_MODULE; without it the command
uses the development settings, which only answer on the loopback address.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, e.g. ``wayhome seed --persons 1000``.

    ``wayhome link ...`` is plain Python (no settings, no database) and is dispatched
    before Django is touched.
    """
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["link"]:
        from wayhome.linkage.cli import main as link_main

        sys.exit(link_main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wayhome.config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["wayhome", *args])


if __name__ == "__main__":  # pragma: no cover
    main()
