"""The production set-up of deploy/: the app behind Debian's nginx over HTTPS, with the shipped snippets.

nginx runs the real `deploy/nginx/peermatch-headers.conf` and `peermatch-proxy.conf` (included verbatim, as
`deploy/nginx/peermatch-site.conf` does) in front of the session's `streamlit run app.py`, with a self-signed
certificate made by openssl for 127.0.0.1. The tests check every security header on the page and on the
health check, that plain HTTP is not served on the TLS port, and that a teacher logs in through the proxy in
real Chromium (the login needs the websocket, so it proves the upgrade works).
"""

from __future__ import annotations

import os
import re
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, _free_port, _in_ci
from playwright.sync_api import Browser, expect
from test_match_in_browser import PASSWORDS, TIMEOUT_MS, wait_for_app_run

pytestmark = pytest.mark.e2e

NGINX = Path(os.environ.get("PEERMATCH_NGINX", "/usr/sbin/nginx"))
SNIPPETS = ROOT / "deploy" / "nginx"
EXPECTED_HEADERS = {
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "content-security-policy": "frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def _require(tool: Path | None, name: str) -> Path:
    if tool is not None and tool.is_file() and os.access(tool, os.X_OK):
        return tool
    message = f"{name} not found: apt-get install nginx openssl to run the reverse-proxy tests"
    if _in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def _certificate(folder: Path) -> tuple[Path, Path]:
    openssl = _require(Path(shutil.which("openssl") or "/usr/bin/openssl"), "openssl")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [str(openssl), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def _nginx_conf(folder: Path, port: int, upstream: str, cert: Path, key: Path) -> Path:
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""  # the workers must reach the test's 0700 folders
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""{user}daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} info;
events {{ worker_connections 256; }}
http {{
    access_log {folder / "access.log"};
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    upstream peermatch {{ ip_hash; server {upstream}; }}
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        server_tokens off;
        include {SNIPPETS / "peermatch-headers.conf"};
        include {SNIPPETS / "peermatch-proxy.conf"};
    }}
}}
"""
    )
    return conf


def _insecure() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    return context


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=5, context=_insecure()) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


@pytest.fixture(scope="module")
def proxied_url(app_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """https://127.0.0.1:<port> served by nginx in front of the session's app server."""
    nginx = _require(NGINX, "nginx")
    folder = tmp_path_factory.mktemp("nginx")
    cert, key = _certificate(folder)
    port = _free_port()
    conf = _nginx_conf(folder, port, app_url.removeprefix("http://"), cert, key)
    check = subprocess.run([str(nginx), "-t", "-p", str(folder), "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proxy = subprocess.Popen([str(nginx), "-p", str(folder), "-c", str(conf)], stderr=subprocess.PIPE)
    url = f"https://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if _get(f"{url}/_stcore/health")[2].strip() == b"ok":
                    break
            except (urllib.error.URLError, OSError):
                pass
            assert proxy.poll() is None, (folder / "error.log").read_text()
            assert time.monotonic() < deadline, "nginx did not proxy the health check in 20 s"
            time.sleep(0.2)
        yield url
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)


@pytest.mark.parametrize("path", ["/", "/_stcore/health", "/login"])
def test_every_response_through_the_proxy_carries_the_security_headers(proxied_url: str, path: str) -> None:
    status, headers, _ = _get(proxied_url + path)
    assert status == 200
    for name, value in EXPECTED_HEADERS.items():
        assert headers.get(name) == value, (name, headers.get(name))
    assert "nginx/" not in headers.get("server", "")  # server_tokens off: no version to look up exploits for


def test_plain_http_is_not_served_on_the_https_port(proxied_url: str) -> None:
    plain = proxied_url.replace("https://", "http://")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(plain + "/", timeout=5)
    assert refused.value.code == 400  # nginx: "The plain HTTP request was sent to HTTPS port"


def test_a_teacher_logs_in_through_the_proxy_over_the_websocket(browser: Browser, proxied_url: str) -> None:
    context = browser.new_context(ignore_https_errors=True)
    try:
        page = context.new_page()
        page.goto(proxied_url, timeout=TIMEOUT_MS)
        expect(page.get_by_test_id("stTextInput").first).to_be_attached(timeout=TIMEOUT_MS)
        wait_for_app_run(page)  # connected: the websocket came through the proxy
        page.locator(".st-key-login_username input").fill("juf.fatima")
        page.locator(".st-key-login_password input").fill(PASSWORDS["juf.fatima"])
        page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
        wait_for_app_run(page)
        expect(page.get_by_role("button", name=re.compile("Uitloggen|Log out"))).to_be_visible(timeout=TIMEOUT_MS)
    finally:
        context.close()


def test_the_site_example_includes_the_tested_snippets() -> None:
    """The documented site uses exactly the two files these tests run, and redirects HTTP to HTTPS."""
    site = (SNIPPETS / "peermatch-site.conf").read_text()
    assert "include /etc/nginx/snippets/peermatch-headers.conf;" in site
    assert "include /etc/nginx/snippets/peermatch-proxy.conf;" in site
    assert "return 301 https://$host$request_uri;" in site
    assert re.search(r"upstream peermatch \{\s*ip_hash;", site)  # sticky: a session lives in one process
