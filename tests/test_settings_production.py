"""Production mode (DEBUG=false): `check --deploy` is clean with the required
variables, and startup refuses to go on without its secrets."""

import json
import os
import secrets
import shutil
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


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    """A VAR_DIR whose static files went through collectstatic, as the README's
    production sequence does before the first request."""
    tmp_path = tmp_path_factory.mktemp("collected")
    var_dir = tmp_path / "var"
    result = _manage(tmp_path, "collectstatic", "--noinput", VAR_DIR=str(var_dir))
    assert result.returncode == 0, result.stderr
    return var_dir


def test_check_deploy_passes_without_warnings(tmp_path, collected):
    result = _manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", VAR_DIR=str(collected)
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output


def test_check_deploy_catches_a_missing_collectstatic(tmp_path):
    """Without the manifest every page would be a 500: the deploy check says so first."""
    result = _manage(tmp_path, "check", "--deploy")

    assert result.returncode != 0
    assert "nora_social.E001" in result.stderr
    assert "collectstatic" in result.stderr


def test_check_deploy_catches_a_static_file_added_after_collectstatic(tmp_path, collected):
    var_dir = tmp_path / "var"
    shutil.copytree(collected, var_dir)
    manifest_path = var_dir / "staticfiles" / "staticfiles.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["paths"]["css/site.css"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    result = _manage(tmp_path, "check", "--deploy", VAR_DIR=str(var_dir))

    assert result.returncode != 0
    assert "nora_social.E002" in result.stderr
    assert "css/site.css" in result.stderr


def test_debug_is_off_when_the_variable_is_missing(tmp_path):
    """A production server that forgets DEBUG fails closed: production rules apply,
    so it refuses to start without its secrets instead of running in debug mode."""
    result = _manage(tmp_path, "check", DEBUG=None, SECRET_KEY=None)

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr
    assert not (tmp_path / "var" / "dev-secret-key").exists()


def test_secret_key_given_as_a_file_is_read(tmp_path, collected):
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
        VAR_DIR=str(collected),
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
        ({"DIRECTORY_SOURCE": "novell"}, "DIRECTORY_SOURCE must be graph, ldap or empty."),
        ({"DIRECTORY_SOURCE": "graph"}, "DIRECTORY_SOURCE=graph needs DIRECTORY_GRAPH_TENANT_ID"),
        ({"DIRECTORY_SOURCE": "ldap"}, "DIRECTORY_SOURCE=ldap needs DIRECTORY_LDAP_URL"),
        ({"DIRECTORY_SCIM_TOKEN": "kort"}, "DIRECTORY_SCIM_TOKEN must be at least 32 characters."),
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
