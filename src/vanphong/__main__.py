"""The `vanphong` command: Django's management commands with Vanphong's settings.

`vanphong serve`, `vanphong demo`, `vanphong createuser`, `vanphong audit verify`, ...
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanphong.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["vanphong", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
