"""Production mode (DEBUG=false): `check --deploy` is clean with the required
variables, and startup refuses to go on without its secrets."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent.parent

# Nothing from the developer's or CI's environment leaks into the child.
_INHERITED = ("PATH", "HOME", "LANG", "SYSTEMROOT", "TMPDIR")


def _production_env(tmp_path, **overrides) -> dict[str, str]:
    env = {name: os.environ[name] for name in _INHERITED if name in os.environ}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "nora_social.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "sociala.nora.se",
            "ESCROW_KEYS": Fernet.generate_key().decode(),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "VAR_DIR": str(tmp_path / "var"),
        }
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _manage(tmp_path, *args, **overrides) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed argv: this interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=_production_env(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_without_warnings(tmp_path):
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output


def test_secret_key_given_as_a_file_is_read(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(64), encoding="utf-8")

    result = _manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=None,
        SECRET_KEY_FILE=str(key_file),
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set when DEBUG is off."),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is off."),
        ({"SECRET_KEY": "kort-och-enkelt"}, "SECRET_KEY is too short or too simple"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY is too short or too simple"),
        ({"ESCROW_KEYS": None}, "ESCROW_KEYS must be set when DEBUG is off."),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must be set when DEBUG is off."),
    ],
)
def test_production_refuses_to_start_without_its_secrets(tmp_path, overrides, message):
    result = _manage(tmp_path, "check", **overrides)

    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert message in result.stderr
    # No development fallback was written for production to pick up.
    assert not (tmp_path / "var" / "dev-secret-key").exists()
    assert not (tmp_path / "var" / "dev-escrow-key").exists()


def test_development_mode_starts_without_any_secret(tmp_path):
    result = _manage(tmp_path, "check", DEBUG="true", SECRET_KEY=None, ESCROW_KEYS=None)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "dev-secret-key").exists()


def test_a_bad_debug_value_is_refused_clearly(tmp_path):
    result = _manage(tmp_path, "check", DEBUG="kanske")

    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
