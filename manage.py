#!/usr/bin/env python
"""Django's command-line utility for Amends."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config.env import use_migration_database

    # Before the settings are read: migrate and its kind run as the owner role (README, "PostgreSQL roles").
    use_migration_database(sys.argv, os.environ)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
