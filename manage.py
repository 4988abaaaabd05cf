#!/usr/bin/env python
import os
import sys


def main():
    # Never turns DEBUG on by itself: development is DEBUG=1 set explicitly (the Makefile does it for
    # make run and make test); anything else is production and needs SECRET_KEY.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
