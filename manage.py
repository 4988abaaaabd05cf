#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
    # A checkout with no configuration at all is a developer's: commands run in development mode.
    # Production sets SECRET_KEY (the WSGI server refuses to start without it when DEBUG is off).
    if "SECRET_KEY" not in os.environ:
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
