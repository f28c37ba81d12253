"""Security review, finding 7 (docs/reliability.md): uvicorn believed X-Forwarded-For from
127.0.0.1, so a caller on the server's host could name any address and get past the login lockout;
and there was no TLS guidance. `hallq serve` now believes the header only from
HALLQ_FORWARDED_ALLOW_IPS (nobody by default), and deploy/nginx-hallq.conf, the example of
docs/deploy.md, runs here as written: TLS, the websocket stream, and the client's own
X-Forwarded-For overwritten."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from websockets.sync.client import connect

from tests.conftest import need
from tests.support.live_server import free_port

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "deploy" / "nginx-hallq.conf"
EXAMPLE = REPO / "queue_server" / "config" / "hall.example.toml"
LOGIN = "/api/v1/auth/login"
WRONG = {"staff_no": "N0001", "password": "not the password"}


def serve(tmp_path: Path, *extra: str) -> Iterator[str]:
    port = free_port()
    log = (tmp_path / f"serve-{port}.log").open("wb")
    env = {
        **os.environ,
        "HALLQ_LIVE_VOICE_AUTOBUILD": "false",
        "HALLQ_FORWARDED_ALLOW_IPS": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "hallq", "serve", "--config", str(EXAMPLE),
         "--database", f"sqlite:///{tmp_path / f'hall-{port}.sqlite3'}",
         "--port", str(port), "--log-level", "warning", *extra],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / f"serve-{port}.log").read_text()
            try:
                if httpx.get(f"{url}/api/v1/halls", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def guesses(http: httpx.Client) -> list[int]:
    """Six wrong passwords, each claiming another address."""
    return [
        http.post(LOGIN, json=WRONG, headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
        for n in range(6)
    ]


def test_a_forwarded_address_is_not_believed_without_a_proxy(tmp_path: Path) -> None:
    for url in serve(tmp_path):
        with httpx.Client(base_url=url, timeout=30) as http:
            assert guesses(http) == [401] * 5 + [429]


def certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def trust(cert: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert))


def nginx(tmp_path: Path, upstream: str) -> Iterator[str]:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    need(Path(binary).exists(), "nginx is not installed (scripts/system-deps.sh installs it)")
    cert, key = certificate(tmp_path)
    https_port, http_port = free_port(), free_port()
    site = (
        SITE.read_text(encoding="utf-8")
        .replace("127.0.0.1:8000", upstream.removeprefix("http://"))
        .replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
        .replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        .replace("/etc/hallq/tls/fullchain.pem", str(cert))
        .replace("/etc/hallq/tls/privkey.pem", str(key))
    )
    (tmp_path / "hallq.conf").write_text(site, encoding="utf-8")
    temp = {name: tmp_path / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for folder in temp.values():
        folder.mkdir()
    main = f"""
        daemon off;
        worker_processes 1;
        {"user root;" if os.geteuid() == 0 else ""}
        pid {tmp_path}/nginx.pid;
        error_log {tmp_path}/nginx-error.log;
        events {{ worker_connections 256; }}
        http {{
            access_log off;
            client_body_temp_path {temp["body"]};
            proxy_temp_path {temp["proxy"]};
            fastcgi_temp_path {temp["fastcgi"]};
            uwsgi_temp_path {temp["uwsgi"]};
            scgi_temp_path {temp["scgi"]};
            include {tmp_path}/hallq.conf;
        }}
    """
    (tmp_path / "nginx.conf").write_text(main, encoding="utf-8")
    check = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"https://127.0.0.1:{https_port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{url}/api/v1/halls", verify=trust(cert), timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
        redirect = httpx.get(f"http://127.0.0.1:{http_port}/booking/demo", timeout=5)
        assert redirect.status_code == 301
        assert redirect.headers["location"].startswith("https://")
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_documented_tls_proxy_passes_the_real_address(tmp_path: Path) -> None:
    for upstream in serve(tmp_path, "--forwarded-allow-ips", "127.0.0.1"):
        for url in nginx(tmp_path, upstream):
            context = trust(tmp_path / "fullchain.pem")
            with httpx.Client(base_url=url, timeout=30, verify=context) as http:
                halls = http.get("/api/v1/halls")
                assert halls.status_code == 200
                assert "max-age" in halls.headers["strict-transport-security"]
                # The proxy overwrites what the client claims: still one address, locked.
                assert guesses(http) == [401] * 5 + [429]
            ws_url = url.replace("https://", "wss://") + "/api/v1/halls/demo/events?since=0"
            # The same 30 s budget as the HTTP calls above, not websockets' 10 s default: on a
            # loaded CI box this whole test once took 67 s and the handshake alone outwaited
            # 10 s. The logs say whether the proxy or the server was the one that stalled.
            try:
                with connect(ws_url, ssl=context, open_timeout=30) as ws:
                    assert '"type"' in str(ws.recv(timeout=30))
            except TimeoutError as exc:
                raise AssertionError(logs(tmp_path)) from exc


def logs(tmp_path: Path) -> str:
    parts = []
    for name in ("nginx-error.log", *(p.name for p in sorted(tmp_path.glob("serve-*.log")))):
        path = tmp_path / name
        text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else "(none)"
        parts.append(f"--- {name} (last 3000 characters)\n{text[-3000:]}")
    return "\n".join(parts)
