"""A SAML 2.0 identity provider for the sign-on tests (never deployed): pysaml2's
``Server`` behind a small WSGI app, run as its own process.

    python saml_idp.py <port> <key file> <cert file> <SP metadata URL> <accounts JSON>

The key and certificate are made by the test in a temporary folder. The login
page asks for the login name and whether to use two factors; with two factors
the assertion's AuthnContextClassRef is REFEDS MFA, without it
PasswordProtectedTransport. The NameID is persistent (the account's ``subject``).
"""

import html
import json
import sys
import threading
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

MFA = "https://refeds.org/profile/mfa"
PASSWORD = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"


def idp_config(base: str, key: str, cert: str, sp_metadata_url: str | None) -> IdPConfig:
    config = {
        "entityid": f"{base}/metadata",
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "allow_unknown_attributes": True,
        "service": {
            "idp": {
                "name": "Testleverantör",
                "endpoints": {
                    "single_sign_on_service": [(f"{base}/sso/redirect", BINDING_HTTP_REDIRECT)]
                },
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "sign_response": True,
                "sign_assertion": True,
                "policy": {
                    "default": {
                        "lifetime": {"minutes": 15},
                        "attribute_restrictions": None,
                        "name_form": NAME_FORMAT_URI,
                    }
                },
            }
        },
        "key_file": key,
        "cert_file": cert,
        "metadata": {"remote": [{"url": sp_metadata_url}]} if sp_metadata_url else {},
    }
    conf = IdPConfig()
    conf.load(config)
    return conf


def page(fields: dict, error: str = "") -> bytes:
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in fields.items()
    )
    alert = f'<p role="alert">{html.escape(error)}</p>' if error else ""
    return (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Testinloggning SAML'
        f"</title></head><body><main><h1>Testinloggning SAML</h1>{alert}"
        f'<form method="post" action="/sso/login">{hidden}'
        '<label for="login">Användar-id</label><input id="login" name="login">'
        '<input type="checkbox" id="mfa" name="mfa" value="1"><label for="mfa">Med tvåfaktor</label>'
        '<button type="submit">Logga in hos testleverantören</button></form></main></body></html>'
    ).encode()


class App:
    def __init__(self, base, key, cert, sp_metadata_url, accounts):
        self.base, self.key, self.cert = base, key, cert
        self.sp_metadata_url = sp_metadata_url
        self.accounts = accounts
        self._server = None
        self._lock = threading.Lock()

    @property
    def server(self) -> Server:
        # Made at the first login: the SP's metadata is read then, when the
        # app under test is up.
        with self._lock:
            if self._server is None:
                self._server = Server(
                    config=idp_config(self.base, self.key, self.cert, self.sp_metadata_url)
                )
            return self._server

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/metadata":
            body = create_metadata_string(
                None, config=idp_config(self.base, self.key, self.cert, None), sign=False
            )
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [body if isinstance(body, bytes) else body.encode()]
        if path == "/sso/redirect":
            query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
            fields = {
                "SAMLRequest": query["SAMLRequest"],
                "RelayState": query.get("RelayState", ""),
            }
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [page(fields)]
        if path == "/sso/login" and environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = {
                k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()
            }
            return self.login(form, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def login(self, form, start_response):
        fields = {"SAMLRequest": form["SAMLRequest"], "RelayState": form.get("RelayState", "")}
        person = self.accounts.get(form.get("login", ""))
        if person is None:
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [page(fields, "Okänd användare")]
        request = self.server.parse_authn_request(form["SAMLRequest"], BINDING_HTTP_REDIRECT)
        args = self.server.response_args(request.message, [BINDING_HTTP_POST])
        args.pop("binding", None)
        identity = {
            "givenName": [person["given_name"]],
            "sn": [person["family_name"]],
            "mail": [person["email"]],
            "http://schemas.xmlsoap.org/claims/Group": person["groups"],
        }
        response = self.server.create_authn_response(
            identity,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=person["subject"]),
            authn={
                "class_ref": MFA if form.get("mfa") == "1" else PASSWORD,
                "authn_auth": f"{self.base}/metadata",
            },
            sign_response=True,
            sign_assertion=True,
            **args,
        )
        http_args = self.server.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            args["destination"],
            fields["RelayState"],
            response=True,
        )
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [http_args["data"].encode()]


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    port, key, cert, sp_metadata_url, accounts = sys.argv[1:6]
    base = f"http://localhost:{port}"
    app = App(base, key, cert, sp_metadata_url, json.loads(accounts))
    server = make_server(
        "127.0.0.1", int(port), app, server_class=ThreadingServer, handler_class=QuietHandler
    )
    print(f"listening {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
