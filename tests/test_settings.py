"""The settings module as a deployment reads it: BROADSHEET_ENV=production."""

import os
import subprocess
import sys


def test_production_settings_pass_check_deploy_with_nothing_silenced(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "BROADSHEET_ENV": "production",
        "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
        "ALLOWED_HOSTS": "magazine.example.org",
        "BROADSHEET_SITE_URL": "https://magazine.example.org",
        "BROADSHEET_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level=DEBUG"],
        env={**env, "DJANGO_SETTINGS_MODULE": "broadsheet.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
