"""Identity providers the sign-on tests start as processes of their own: the
npm package ``oidc-provider`` run by node (``oidc_provider.mjs``; ``npm ci`` in
this folder, done by ``make test-deps``) and a pysaml2 IdP (``saml_idp.py``)."""

import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the provider stopped: {process.stdout.read() if process.stdout else ''}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the provider did not listen on {port}")


class Process:
    def __init__(self, args: list[str], env: dict, port: int, cwd: Path = HERE):
        # The test's own provider script with arguments it made itself.
        self.process = subprocess.Popen(  # noqa: S603
            args,
            cwd=cwd,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            wait_for_port(port, self.process)
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_oidc_provider(*, redirect_uri: str, client_id: str, client_secret: str, accounts: dict):
    """The node ``oidc-provider``; returns (process, issuer)."""
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed (Debian package nodejs)")
    if not (HERE / "node_modules" / "oidc-provider").exists():
        _unavailable("oidc-provider is not installed: run `make test-deps` (npm ci in tests/idp)")
    port = free_port()
    issuer = f"http://localhost:{port}"
    process = Process(
        [node, "oidc_provider.mjs"],
        {
            "PORT": str(port),
            "ISSUER": issuer,
            "CLIENT_ID": client_id,
            "CLIENT_SECRET": client_secret,
            "REDIRECT_URI": redirect_uri,
            "ACCOUNTS": json.dumps(accounts),
        },
        port,
    )
    return process, issuer


def make_key_pair(folder: Path, name: str) -> tuple[str, str]:
    """A throwaway RSA key and self-signed certificate, made at test time."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / f"{name}.key", folder / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)


def start_saml_idp(*, folder: Path, sp_metadata_url: str, accounts: dict):
    """The pysaml2 IdP; returns (process, metadata URL)."""
    import sys

    if not Path("/usr/bin/xmlsec1").exists():
        _unavailable("xmlsec1 is not installed (Debian package xmlsec1)")
    key, cert = make_key_pair(folder, "idp")
    port = free_port()
    process = Process(
        [
            sys.executable,
            str(HERE / "saml_idp.py"),
            str(port),
            key,
            cert,
            sp_metadata_url,
            json.dumps(accounts),
        ],
        {},
        port,
    )
    return process, f"http://localhost:{port}/metadata"
