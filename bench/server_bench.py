"""Server throughput: /v1/check against a trivial endpoint of the same app, same server.

    .venv/bin/python bench/server_bench.py [--seconds 20] [--clients 16] [--workers 0,2]

Starts `tonecheck serve` on 127.0.0.1 (rate limit off, fresh SQLite file) once per
`--workers` value. Against each, wrk (`make bench` installs it) keeps `--clients`
keep-alive connections busy for `--seconds`: first GET /v1/ping (the trivial JSON
endpoint: no model, no storage), then POST /v1/check with 400 distinct drafts of
1,500 characters (so no cache could help), each check stored in SQLite as in
production. wrk is written in C, so the load generator takes little of the CPU
the server needs; a Python client on the same two cores measured itself (its
/v1/ping reached 1,000 req/s where wrk reaches 20,000).

Then 16 "typing agents" each send one check per 0.4 s (the extension's debounce:
what a team actually sends), to show the latency agents see at that load.
Prints requests per second, latency percentiles, errors, the ratio to /v1/ping,
and the memory of the server's processes: peak RSS of each and their PSS summed
(shared pages counted once). Traffic goes only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tonecheck.model.artifact import current_version
from tonecheck.model.data_check import read_records

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))
from model_bench import drafts  # noqa: E402

from tests.support.server_process import ServerProcess, free_port  # noqa: E402

DEBOUNCE_S = 0.4  # the extension's default: one check per agent per pause in typing, at most

# wrk's summary as one JSON line; latencies are in microseconds.
REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "errors": %d, "p50": %f, "p99": %f}\\n',
    summary.requests, summary.duration / 1e6,
    e.status + e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""
CHECK = """
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do bodies[#bodies + 1] = line end
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TOKEN")}
local i = 0
request = function()
  i = i + 1
  return wrk.format("POST", "/v1/check", headers, bodies[(i % #bodies) + 1])
end
"""


def process_tree(root: int) -> list[int]:
    """`root` and every process descended from it."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += parents.get(pid, [])
    return tree


def memory_mb(pids: list[int]) -> tuple[list[float], float]:
    """Peak RSS of each process, and the PSS of all of them summed, in MB."""
    peaks, pss = [], 0.0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss += int(line.split()[1]) / 1024
    return peaks, pss


def wrk(
    url: str, seconds: float, clients: int, script: str, env: dict[str, str]
) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + REPORT)
    try:
        done = subprocess.run(
            ["wrk", "-t", "1", "-c", str(clients), "-d", f"{seconds:g}s", "-s", lua.name, url],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **env},
        )
    finally:
        os.unlink(lua.name)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    return result


async def typing_agents(
    url: str, seconds: float, agents: int, every: float, bodies: list[str], token: str
) -> dict[str, float]:
    """`agents` clients that each send one check every `every` seconds, as typing agents do
    (the extension checks once per debounce); the latency each check sees."""
    latencies: list[float] = []
    errors = 0
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    async def agent(index: int, client: httpx.AsyncClient) -> None:
        nonlocal errors
        began = time.monotonic() + index * every / agents  # spread the agents over a period
        for tick in range(int(seconds / every)):
            await asyncio.sleep(max(0.0, began + tick * every - time.monotonic()))
            sent = time.perf_counter()
            response = await client.post(
                url, content=bodies[(index + tick * agents) % len(bodies)], headers=headers
            )
            latencies.append((time.perf_counter() - sent) * 1000)
            errors += response.status_code != 200

    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(*(agent(i, client) for i in range(agents)))
    ordered = sorted(latencies)
    return {
        "rps": len(ordered) / seconds,
        "p50": ordered[len(ordered) // 2],
        "p99": ordered[int(len(ordered) * 0.99) - 1],
        "errors": errors,
    }


def measure(
    workers: int, seconds: float, clients: int, artifacts: Path, bodies: Path
) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as scratch:
        server = ServerProcess.start(
            tonecheck=str(Path(sys.executable).parent / "tonecheck"),
            db=Path(scratch) / "bench.db",
            artifacts=artifacts,
            origin="chrome-extension://bench",
            port=free_port(),
            cwd=REPO,
            extra=["--workers", str(workers)],
        )
        try:
            ping = f"{server.url}/v1/ping"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # "serving on" is printed before uvicorn listens
                try:
                    if httpx.get(ping).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            trivial = wrk(ping, seconds, clients, "", {})
            env = {"BODIES": str(bodies), "TOKEN": server.agent_token}
            check = wrk(f"{server.url}/v1/check", seconds, clients, CHECK, env)
            typing = asyncio.run(
                typing_agents(
                    f"{server.url}/v1/check",
                    seconds,
                    clients,
                    DEBOUNCE_S,
                    bodies.read_text().splitlines(),
                    server.agent_token,
                )
            )
            peaks, pss = memory_mb(process_tree(server.process.pid))
        finally:
            server.stop()
    return {"ping": trivial, "check": check, "typing": typing, "peaks": peaks, "pss": pss}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--workers",
        default=f"0,{len(os.sched_getaffinity(0))}",
        help="comma-separated --workers values to measure; 0 scores in the serving process",
    )
    parser.add_argument("--artifacts", type=Path, default=REPO / "model" / "artifacts")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `make bench` installs it (Debian package wrk)")
    if current_version(args.artifacts) is None:
        sys.exit(f"no model in {args.artifacts}: run `tonecheck train` first")
    texts = [r.text for r in read_records(REPO / "data" / "replies.jsonl")]
    with tempfile.TemporaryDirectory() as scratch:
        bodies = Path(scratch) / "bodies.jsonl"
        bodies.write_text(
            "".join(
                json.dumps({"text": t, "draft_id": f"bench-{i}"}) + "\n"
                for i, t in enumerate(drafts(texts, 1500, 400))
            )
        )
        runs = {
            w: measure(w, args.seconds, args.clients, args.artifacts, bodies)
            for w in map(int, args.workers.split(","))
        }
    print(
        f"{args.clients} concurrent clients (wrk), {args.seconds:g} s each, 127.0.0.1, "
        f"drafts of 1,500 characters, {os.cpu_count()} CPUs shared by server and wrk"
    )
    print(
        f"{'workers':>7} {'endpoint':<15} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'vs ping':>8}"
    )
    for workers, run in runs.items():
        ping, check = run["ping"], run["check"]
        assert isinstance(ping, dict) and isinstance(check, dict)
        for name, m in (("GET /v1/ping", ping), ("POST /v1/check", check)):
            print(
                f"{workers:>7} {name:<15} {m['rps']:>8.0f} {m['p50']:>8.1f} {m['p99']:>8.1f} "
                f"{m['errors']:>7.0f} {m['rps'] / ping['rps']:>8.1%}"
            )
        typing = run["typing"]
        assert isinstance(typing, dict)
        print(
            f"{'':>7} {args.clients} agents typing, one check each per {DEBOUNCE_S:g} s: "
            f"{typing['rps']:.0f} checks/s, p50 {typing['p50']:.1f} ms, p99 {typing['p99']:.1f} ms, "
            f"errors {typing['errors']:.0f}"
        )
        peaks = run["peaks"]
        assert isinstance(peaks, list)
        print(
            f"{'':>7} memory: {len(peaks)} processes, peak RSS {' + '.join(f'{p:.0f}' for p in peaks)} MB, "
            f"PSS summed {run['pss']:.0f} MB"
        )
    print()
    baseline = runs[min(runs)]["check"]
    for workers, run in runs.items():
        ping, check = run["ping"], run["check"]
        assert isinstance(ping, dict) and isinstance(check, dict) and isinstance(baseline, dict)
        ratio = check["rps"] / ping["rps"]
        errors = ping["errors"] + check["errors"]
        pss = float(run["pss"])  # type: ignore[arg-type]
        print(
            f"workers {workers}: check {check['rps'] / baseline['rps']:.2f}x the workers-{min(runs)} check rate; "
            f"ratio {ratio:.1%} (target >= 50%: {'PASS' if ratio >= 0.5 else 'FAIL'}); "
            f"p99 {check['p99']:.1f} ms (target <= 25: {'PASS' if check['p99'] <= 25 else 'FAIL'}); "
            f"errors {errors:.0f} ({'PASS' if not errors else 'FAIL'}); "
            f"memory {pss:.0f} MB PSS (target <= 250: {'PASS' if pss <= 250 else 'FAIL'})"
        )


if __name__ == "__main__":
    main()
