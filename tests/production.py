"""The environment of a production deployment, as the README documents it."""

from __future__ import annotations

import os
from pathlib import Path


def production_environ(var_dir: Path, hosts: str = "magazine.example.org") -> dict:
    """BROADSHEET_ENV=production with the variables it requires, nothing else."""
    return {
        "PATH": os.environ["PATH"],
        "BROADSHEET_ENV": "production",
        "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
        "ALLOWED_HOSTS": hosts,
        "BROADSHEET_SITE_URL": "https://magazine.example.org",
        "BROADSHEET_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
    }
