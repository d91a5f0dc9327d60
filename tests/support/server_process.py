"""The real tonecheck server as a child process on loopback, with an agent and a lead token."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

READY = "tonecheck serving on "


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve_command(
    tonecheck: Sequence[str], port: int, db: Path, artifacts: Path, *extra: str
) -> list[str]:
    """`tonecheck serve` on 127.0.0.1 as the tests run it: rate limit off, never training."""
    return [
        *tonecheck,
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--db",
        str(db),
        "--artifacts",
        str(artifacts),
        "--rate-limit",
        "0",
        "--no-train-if-missing",
        *extra,
    ]


def _create_token(tonecheck: str, db: Path, name: str, role: str, cwd: Path) -> str:
    done = subprocess.run(
        [tonecheck, "token", "create", "--name", name, "--role", role, "--db", str(db), "--create"],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


@dataclass
class ServerProcess:
    process: subprocess.Popen[str]
    url: str
    agent_token: str
    lead_token: str

    @classmethod
    def start(
        cls,
        *,
        tonecheck: str,
        db: Path,
        artifacts: Path,
        origin: str,
        port: int,
        cwd: Path,
        extra: Sequence[str] = (),
    ) -> ServerProcess:
        agent = _create_token(tonecheck, db, "e2e-agent", "agent", cwd)
        lead = _create_token(tonecheck, db, "e2e-lead", "lead", cwd)
        process = subprocess.Popen(
            serve_command(
                [tonecheck],
                port,
                db,
                artifacts,
                "--allow-origin",
                origin,
                "--log-level",
                "warning",
                *extra,
            ),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdout is not None
        seen: list[str] = []
        for line in process.stdout:  # blocks until the server says it is ready, or exits
            seen.append(line)
            if line.startswith(READY):
                url = line[len(READY) :].strip()
                # Keep reading its output so a full pipe can never stall the server.
                threading.Thread(target=process.stdout.read, daemon=True).start()
                return cls(process, url, agent, lead)
        process.wait()
        raise RuntimeError(f"tonecheck serve exited with {process.returncode}:\n{''.join(seen)}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()

    def call(self, method: str, path: str, body: Any = None, *, lead: bool = False) -> Any:
        """A direct API call, as the test's own reference for what the extension shows."""
        token = self.lead_token if lead else self.agent_token
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())
