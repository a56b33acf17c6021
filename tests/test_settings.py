"""The settings module as a deployment reads it: BROADSHEET_ENV=production."""

import subprocess
import sys

from tests.production import production_environ


def test_production_settings_pass_check_deploy_with_nothing_silenced(tmp_path):
    env = production_environ(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level=DEBUG"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
