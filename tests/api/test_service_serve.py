"""``ai-identity serve`` as a real process on loopback: it answers, and its log carries no user id."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_when_serve_runs_then_it_answers_and_logs_no_user_id(platform: Path, prefix: str, tmp_path: Path):
    exe = Path(sys.executable).parent / "ai-identity"
    key = subprocess.run(
        [str(exe), "keys", "create", "--platform", str(platform), "--scopes", "admin"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [str(exe), "serve", "--platform", str(platform), "--port", str(port), "--redis-prefix", prefix],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                assert httpx.get(f"{base}/healthz", timeout=1).json()["status"] == "ok"
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        auth = {"Authorization": f"Bearer {key}"}
        assert httpx.get(f"{base}/v1/identities/424242?viewer=self", headers=auth).status_code == 404
        assert httpx.get(f"{base}/openapi.json").json()["info"]["title"] == "ai-identity"
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()
    text = (tmp_path / "serve.log").read_text()
    assert "GET /v1/identities/{user_id} 404" in text
    assert "424242" not in text and key not in text
