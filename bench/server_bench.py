"""Server throughput: /v1/check against a trivial endpoint of the same app, same server.

    .venv/bin/python bench/server_bench.py [--seconds 20] [--clients 16] [--artifacts DIR]

Starts `tonecheck serve` on 127.0.0.1 (rate limit off, fresh SQLite file), then
for each endpoint runs `--clients` concurrent keep-alive clients for `--seconds`:
first GET /v1/ping (the trivial JSON endpoint: no model, no storage), then POST
/v1/check with ~1,500-character drafts (distinct texts, so no cache helps).
Prints requests per second, latency percentiles, errors, the ratio, and the
server's peak RSS. Traffic goes only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from model.artifact import current_version
from model.records import read_records

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))
from model_bench import drafts  # noqa: E402

from tests.e2e.server_process import ServerProcess, free_port  # noqa: E402


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def load(
    url: str, seconds: float, clients: int, bodies: list[dict[str, str]] | None, token: str
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {token}"}

    async def client(index: int, session: httpx.AsyncClient) -> None:
        nonlocal errors
        sent = index
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                if bodies is None:
                    response = await session.get(url)
                else:
                    response = await session.post(
                        url, json=bodies[sent % len(bodies)], headers=headers
                    )
                    sent += clients
                if response.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append((time.perf_counter() - began) * 1000)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as session:
        began = time.monotonic()
        await asyncio.gather(*(client(i, session) for i in range(clients)))
        elapsed = time.monotonic() - began
    return {
        "rps": len(latencies) / elapsed,
        "p50": float(np.percentile(latencies, 50)),
        "p99": float(np.percentile(latencies, 99)),
        "errors": errors,
        "requests": len(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--artifacts", type=Path, default=REPO / "model" / "artifacts")
    args = parser.parse_args()
    if current_version(args.artifacts) is None:
        sys.exit(f"no model in {args.artifacts}: run `tonecheck train` first")
    texts = [r.text for r in read_records(REPO / "data" / "replies.jsonl")]
    bodies = [{"text": t, "draft_id": f"bench-{i}"} for i, t in enumerate(drafts(texts, 1500, 400))]
    with tempfile.TemporaryDirectory() as scratch:
        server = ServerProcess.start(
            tonecheck=str(Path(sys.executable).parent / "tonecheck"),
            db=Path(scratch) / "bench.db",
            artifacts=args.artifacts,
            origin="chrome-extension://bench",
            port=free_port(),
            cwd=REPO,
        )
        try:
            ping = f"{server.url}/v1/ping"
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:  # "serving on" is printed before uvicorn listens
                try:
                    if httpx.get(ping).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            trivial = asyncio.run(load(ping, args.seconds, args.clients, None, server.agent_token))
            check_url = f"{server.url}/v1/check"
            check = asyncio.run(
                load(check_url, args.seconds, args.clients, bodies, server.agent_token)
            )
            rss = peak_rss_mb(server.process.pid)
        finally:
            server.stop()
    print(
        f"{args.clients} concurrent clients, {args.seconds:.0f} s each, 127.0.0.1, drafts of 1,500 characters"
    )
    print(
        f"{'endpoint':<14} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'requests':>9}"
    )
    for name, m in (("GET /v1/ping", trivial), ("POST /v1/check", check)):
        print(
            f"{name:<14} {m['rps']:>8.0f} {m['p50']:>8.1f} {m['p99']:>8.1f} {m['errors']:>7.0f} {m['requests']:>9.0f}"
        )
    ratio = check["rps"] / trivial["rps"]
    print(
        f"ratio check / trivial: {ratio:.1%}   target >= 50%   {'PASS' if ratio >= 0.5 else 'FAIL'}"
    )
    print(
        f"check p99: {check['p99']:.1f} ms   target <= 25 ms   {'PASS' if check['p99'] <= 25 else 'FAIL'}"
    )
    print(
        f"errors: {check['errors'] + trivial['errors']:.0f}   target 0   {'PASS' if not check['errors'] + trivial['errors'] else 'FAIL'}"
    )
    print(f"server peak RSS: {rss:.0f} MB   target <= 250 MB   {'PASS' if rss <= 250 else 'FAIL'}")


if __name__ == "__main__":
    main()
