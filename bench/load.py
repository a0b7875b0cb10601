"""`make load`: simulated annotators and leads against gunicorn on PostgreSQL, over loopback.

Two runs, each bounded in time: a throughput run (10 annotators saving with no think time)
and a soak (50 annotators with 0.5-2 s of think time for 5 minutes, and two leads browsing
reviews). Each reports requests per second, p50/p95/p99 per request type and the error rate,
then checks every write the server acknowledged against the database and a `layers` export
(bench/load_reconcile.py). It fails on any failed request or any write that does not
reconcile. Everything stays on loopback, and each run is bounded: locust stops after its
run time, and is killed if it has not stopped a minute later. Results go to
docs/PERFORMANCE.md. `make load LOAD_ARGS="--soak-seconds 60"` shortens the soak.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from run import (  # noqa: E402
    PG_SERVER,
    REPORT,
    Database,
    Server,
    manage,
    publish,
    run_script,
    write_corpus,
)

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
# What must be 0 after a run, from bench/load_reconcile.py.
MUST_BE_ZERO = (
    "missing",
    "wrong_label",
    "duplicated",
    "unexpected",
    "submissions_lost",
    "export_missing",
    "export_duplicated",
    "export_unexpected",
)


def run_locust(base_url, accounts, *, users, leads, seconds, think, workdir) -> dict:
    acks = workdir / "acknowledged.json"
    prefix = workdir / f"locust-{users}"
    env = {
        **os.environ,
        "LOAD_PROJECT": "bench",
        "LOAD_ACCOUNTS": str(accounts),
        "LOAD_ACKS": str(acks),
        "LOAD_THINK": think,
        "LOAD_LEADS": str(leads),
    }
    started = time.monotonic()
    stopped = subprocess.run(
        [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--host",
            base_url,
            "--users",
            str(users + leads),
            "--spawn-rate",
            "20",
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env=env,
        cwd=workdir,
        check=False,  # locust exits 1 when any request failed: the table says which
        stdout=subprocess.DEVNULL,
        timeout=seconds + 60,
    )
    if stopped.returncode not in (0, 1):
        raise SystemExit(f"locust failed (exit {stopped.returncode})")
    return {
        "stats": _stats(Path(f"{prefix}_stats.csv")),
        "acks": acks,
        "seconds": time.monotonic() - started,
    }


def _stats(path: Path) -> list[dict]:
    with path.open() as rows:
        return list(csv.DictReader(rows))


def table(title: str, run: dict, reconciled: dict) -> list[str]:
    rows = [
        f"### {title}",
        "",
        "| request | count | per second | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for stat in run["stats"]:
        rows.append(
            f"| {stat['Name']} | {int(stat['Request Count']):,} "
            f"| {float(stat['Requests/s']):.1f} | {stat['50%']} | {stat['95%']} "
            f"| {stat['99%']} | {int(stat['Failure Count'])} |"
        )
    requests = sum(
        int(stat["Request Count"]) for stat in run["stats"] if stat["Name"] != "Aggregated"
    )
    failures = sum(
        int(stat["Failure Count"]) for stat in run["stats"] if stat["Name"] != "Aggregated"
    )
    rows += [
        "",
        f"Requests {requests:,}, failed {failures:,} "
        f"(error rate {failures / max(requests, 1):.2%}).",
        "",
        "Acknowledged writes against the database and a `layers` export: "
        + ", ".join(f"{name.replace('_', ' ')} {value:,}" for name, value in reconciled.items()),
        "",
    ]
    return rows


def scenario(*, title, users, leads, seconds, think, documents, workers, threads):
    with tempfile.TemporaryDirectory() as tmp, Database("postgres", Path(tmp)) as database:
        workdir = Path(tmp)
        corpus = workdir / "corpus.jsonl"
        write_corpus(corpus, documents)
        manage(database.url, "import_documents", "--project", "bench", str(corpus))
        manage(database.url, "collectstatic", "--no-input", "-v0")
        accounts = workdir / "accounts.json"
        accounts.write_text(run_script("load_accounts.py", database.url, str(users), str(leads)))
        with Server(database.url, workers=workers, threads=threads, task_worker=True) as base_url:
            run = run_locust(
                base_url,
                accounts,
                users=users,
                leads=leads,
                seconds=seconds,
                think=think,
                workdir=workdir,
            )
        reconciled = json.loads(run_script("load_reconcile.py", database.url, str(run["acks"])))
    rows = table(title, run, reconciled)
    print("\n".join(rows), flush=True)
    errors = sum(int(stat["Failure Count"]) for stat in run["stats"])
    return rows, errors == 0 and not any(reconciled[key] for key in MUST_BE_ZERO)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--throughput-seconds", type=int, default=60)
    parser.add_argument("--soak-seconds", type=int, default=300)
    parser.add_argument("--soak-users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--documents", type=int, default=5000)
    options = parser.parse_args()
    host = urlsplit(PG_SERVER).hostname
    if host and host not in LOOPBACK:
        raise SystemExit(f"BENCH_POSTGRES must be on this machine (loopback), not {host}.")
    server = {"workers": options.workers, "threads": options.threads}
    sections, clean = [], True
    for title, users, leads, seconds, think in (
        ("Span saves, 10 annotators, no think time", 10, 0, options.throughput_seconds, "0,0"),
        (
            f"{options.soak_users} annotators (0.5-2 s think time) and 2 leads",
            options.soak_users,
            2,
            options.soak_seconds,
            "0.5,2",
        ),
    ):
        if seconds <= 0:
            continue
        rows, ok = scenario(
            title=f"{title}, {seconds} s",
            users=users,
            leads=leads,
            seconds=seconds,
            think=think,
            documents=options.documents,
            **server,
        )
        sections += rows
        clean = clean and ok
    publish(
        "load",
        f"gunicorn, {options.workers} workers × {options.threads} threads, a db_worker, "
        f"PostgreSQL, {options.documents:,} documents.\n\n" + "\n".join(sections),
    )
    print(f"Written to {REPORT.relative_to(ROOT)}")
    if not clean:
        raise SystemExit("load test: errors, or acknowledged writes that do not reconcile")


if __name__ == "__main__":
    main()
