"""`make bench`: speed and memory figures, printed and written to docs/PERFORMANCE.md.

Each measurement runs the real management command in a fresh process against a fresh database
(a new SQLite file; a new PostgreSQL database), so peak RSS is that of one run and nothing is
warm. `make bench BENCH_ARGS="--sizes 10000"` runs a subset.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from browser import measure as measure_in_browser  # noqa: E402

# Not "layers": this corpus has gold only, so it would be the jsonl figure again.
ALL_FORMATS = ("jsonl", "conll", "brat", "casualty", "spacy", "hf")
SEEDS = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
PG_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
# Production settings: with DEBUG on, Django keeps every SQL statement in memory.
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-only-secret-key",
    "DJANGO_ALLOWED_HOSTS": "testserver",
    # Plain HTTP on loopback: no redirect to HTTPS, no Secure-only cookies.
    "DJANGO_HTTPS": "0",
}


def write_corpus(path: Path, count: int) -> None:
    """`count` distinct seed-sized documents as JSONL (a seed article under a numbered line)."""
    texts = [seed.read_text(encoding="utf-8") for seed in SEEDS]
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            text = f"Report {number}\n" + texts[number % len(texts)]
            out.write(json.dumps({"external_id": f"bench-{number}", "text": text}) + "\n")


def manage(database_url: str, *args: str) -> tuple[float, float, str]:
    """Run manage.py in a fresh process; return (seconds, peak RSS in MB, stdout)."""
    # Production settings: with DEBUG on, Django keeps every SQL statement in memory.
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key",
        "DATABASE_URL": database_url,
    }
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), *args], env=env, stdout=out, stderr=err
        )
        # wait4 rather than wait: it returns this child's own resource usage (peak RSS).
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{err.read()}")
        return elapsed, usage.ru_maxrss / 1024, out.read()


def run_script(name: str, database_url: str, *args: str, env: dict | None = None) -> str:
    """Run bench/<name> in a fresh process with production settings; return what it prints."""
    env = {**os.environ, **PRODUCTION_ENV, "DATABASE_URL": database_url, **(env or {})}
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / name), *args],
        env=env,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise SystemExit(f"bench/{name} failed:\n{run.stderr}")
    return run.stdout


class Database:
    """A fresh, migrated database of one kind, dropped afterwards."""

    def __init__(self, kind: str, workdir: Path):
        self.kind = kind
        if kind == "sqlite":
            self.url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        else:
            self.name = f"annotator_bench_{os.getpid()}"
            self.url = f"{PG_SERVER}/{self.name}"

    def __enter__(self) -> "Database":
        if self.kind == "postgres":
            self._psql(f'CREATE DATABASE "{self.name}"')
        manage(self.url, "migrate", "--no-input", "-v0")
        manage(self.url, "create_project", "bench", "--name", "Bench")
        return self

    def __exit__(self, *exc) -> None:
        if self.kind == "postgres":
            self._psql(f'DROP DATABASE IF EXISTS "{self.name}"')

    def _psql(self, sql: str) -> None:
        subprocess.run(["psql", PG_SERVER + "/postgres", "-q", "-c", sql], check=True)


def bench_import(sizes: list[int], kinds: list[str]) -> list[str]:
    rows = [
        "| database | documents | file MB | seconds | documents/s | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for size in sizes:
            corpus = workdir / f"corpus-{size}.jsonl"
            write_corpus(corpus, size)
            megabytes = corpus.stat().st_size / 1e6
            for kind in kinds:
                with Database(kind, workdir) as database:
                    seconds, peak, out = manage(
                        database.url, "import_documents", "--project", "bench", str(corpus)
                    )
                    if not out.startswith(f"{size} imported"):
                        raise SystemExit(f"unexpected import result: {out}")
                row = (
                    f"| {kind} | {size:,} | {megabytes:.0f} | {seconds:.1f} "
                    f"| {size / seconds:,.0f} | {peak:.0f} |"
                )
                print(row, flush=True)
                rows.append(row)
                if kind == "sqlite":
                    (workdir / "bench.sqlite3").unlink()
    return rows


def bench_workspace(kinds: list[str]) -> list[str]:
    rows = [
        "| database | page p50 ms | page p95 ms | save p50 ms | save p95 ms "
        "| browser: page ready ms | key → drawn ms (max) | key → saved ms (max) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            with Database(kind, Path(tmp)) as database:
                manage(database.url, "collectstatic", "--no-input", "-v0")
                server = json.loads(run_script("workspace.py", database.url))
                with Server(database.url) as base_url:
                    browser = measure_in_browser(base_url, server)
            row = (
                f"| {kind} | {server['page_p50_ms']:.1f} | {server['page_p95_ms']:.1f} "
                f"| {server['save_p50_ms']:.1f} | {server['save_p95_ms']:.1f} "
                f"| {browser['ready_ms']:.0f} "
                f"| {browser['drawn_p50_ms']:.1f} ({browser['drawn_max_ms']:.1f}) "
                f"| {browser['saved_p50_ms']:.1f} ({browser['saved_max_ms']:.1f}) |"
            )
            print(row, flush=True)
            rows.append(row)
    return rows


PATHS = (
    ("next", "next document"),
    ("page", "annotate page"),
    ("save", "span save"),
    ("submit", "submit"),
    ("review", "review page"),
    ("queue", "review queue"),
    ("project", "project page"),
)


def bench_paths(sizes: list[int], kinds: list[str]) -> list[str]:
    rows = [
        "| database | documents | "
        + " | ".join(f"{title} p50 / p95 ms" for _, title in PATHS)
        + " |",
        "|---|---:|" + "---:|" * len(PATHS),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            for kind in kinds:
                with Database(kind, Path(tmp)) as database:
                    # Tasks queued, as with a worker: a submission's request does not run the
                    # project's agreement refresh itself.
                    queued = {"DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
                    result = json.loads(run_script("paths.py", database.url, str(size), env=queued))
                row = (
                    f"| {kind} | {size:,} | "
                    + " | ".join(
                        f"{result[key]['p50']:.1f} / {result[key]['p95']:.1f}" for key, _ in PATHS
                    )
                    + " |"
                )
                print(row, flush=True)
                rows.append(row)
                if kind == "sqlite":
                    (Path(tmp) / "bench.sqlite3").unlink()
    return rows


def bench_agreement(kinds: list[str]) -> list[str]:
    rows = [
        "| database | documents | spans | refresh from stored tallies s | recompute from spans s "
        "| one document's tallies ms | dashboard p50 ms | dashboard p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            with Database(kind, Path(tmp)) as database:
                manage(database.url, "collectstatic", "--no-input", "-v0")
                result = json.loads(run_script("agreement.py", database.url))
            row = (
                f"| {kind} | {result['documents']:,} | {result['spans']:,} "
                f"| {result['stored_s']:.2f} | {result['scratch_s']:.1f} "
                f"| {result['document_ms']:.1f} | {result['dashboard_p50_ms']:.1f} "
                f"| {result['dashboard_p95_ms']:.1f} |"
            )
            print(row, flush=True)
            rows.append(row)
    return rows


def bench_export(sizes: list[int], kinds: list[str]) -> list[str]:
    rows = [
        "| database | documents | format | seconds | documents/s | file MB | peak RSS MB |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for size in sizes:
            for kind in kinds:
                with Database(kind, workdir) as database:
                    run_script("export_corpus.py", database.url, str(size))
                    # Every format up to 10k documents; the two line formats at 100k too.
                    for form in ALL_FORMATS if size <= 10_000 else ("jsonl", "conll"):
                        out = workdir / f"gold.{form}"
                        seconds, peak, _ = manage(
                            database.url,
                            "export_gold",
                            "--project",
                            "bench-export",
                            "--format",
                            form,
                            "-o",
                            str(out),
                        )
                        row = (
                            f"| {kind} | {size:,} | {form} | {seconds:.1f} | {size / seconds:,.0f} "
                            f"| {_megabytes(out):.1f} | {peak:.0f} |"
                        )
                        print(row, flush=True)
                        rows.append(row)
                        shutil.rmtree(out) if out.is_dir() else out.unlink()
                if kind == "sqlite":
                    (workdir / "bench.sqlite3").unlink()
    return rows


def bench_passages(sizes: list[int]) -> list[str]:
    """Pure domain code, so no database: each size in a fresh process for its peak memory."""
    rows = [
        "| documents | paragraphs | clusters | seconds | peak RSS MB |",
        "|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        run = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "passages.py"), str(size)],
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            raise SystemExit(f"bench/passages.py failed:\n{run.stderr}")
        result = json.loads(run.stdout)
        row = (
            f"| {result['documents']:,} | {result['paragraphs']:,} | {result['clusters']:,} "
            f"| {result['seconds']:.1f} | {result['peak_rss_mb']:.0f} |"
        )
        print(row, flush=True)
        rows.append(row)
    return rows


def _megabytes(path: Path) -> float:
    files = path.rglob("*") if path.is_dir() else [path]
    return sum(file.stat().st_size for file in files if file.is_file()) / 1e6


class Server:
    """gunicorn on a free loopback port, as in production (whitenoise; sync workers unless
    threads are asked for)."""

    def __init__(
        self, database_url: str, *, workers: int = 2, threads: int = 1, task_worker: bool = False
    ):
        """`task_worker`: background tasks queued in the database and run by a `db_worker`
        process, as in production, rather than at the end of the request that asks for them."""
        self.workers, self.threads, self.task_worker = workers, threads, task_worker
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.env = {
            **os.environ,
            **PRODUCTION_ENV,
            "DATABASE_URL": database_url,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        }
        if task_worker:
            self.env["DJANGO_TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"

    def __enter__(self) -> str:
        self.worker = None
        if self.task_worker:
            self.worker = subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "-v0"],
                env=self.env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "annotator.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                # Longer than a simulated annotator's pause: a connection closed by the server
                # just as the client reuses it is a reset, not a slow request.
                "--keep-alive",
                "10",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return f"http://127.0.0.1:{self.port}"
            time.sleep(0.2)
        self.process.kill()
        raise SystemExit("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        for process in filter(None, (self.process, self.worker)):
            process.terminate()
            process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument(
        "--only", choices=["import", "workspace", "paths", "agreement", "export", "passages"]
    )
    parser.add_argument("--paths-sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--export-sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--passages-sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    options = parser.parse_args()
    if options.only in (None, "import"):
        print("Import: `manage.py import_documents` of one JSONL file, seed-sized documents")
        section("import", "Document import", bench_import(options.sizes, options.databases))
    if options.only in (None, "workspace"):
        print("Annotate page and span save: server time, and in Chromium (50 KB, 500 spans)")
        section("workspace", "Annotation workspace", bench_workspace(options.databases))
    if options.only in (None, "paths"):
        print("Pages and writes in a big project: server time, 40 documents annotated")
        section("paths", "Pages and writes", bench_paths(options.paths_sizes, options.databases))
    if options.only in (None, "agreement"):
        print("Agreement: 10,000 documents × 3 annotators × ~15 spans")
        section("agreement", "Agreement", bench_agreement(options.databases))
    if options.only in (None, "export"):
        print("Export: `manage.py export_gold` of adjudicated documents, ~15 gold spans each")
        section("export", "Gold export", bench_export(options.export_sizes, options.databases))
    if options.only in (None, "passages"):
        print("Shared passages: detection over synthetic documents of 12 paragraphs")
        section("passages", "Shared passages", bench_passages(options.passages_sizes))
    print(f"Written to {REPORT.relative_to(ROOT)}")


def section(key: str, title: str, rows: list[str]) -> None:
    """Published as soon as measured: a later benchmark that fails keeps it."""
    publish(key, f"### {title}\n\n" + "\n".join(rows))


REPORT = ROOT / "docs" / "PERFORMANCE.md"


def publish(key: str, table: str) -> None:
    """Put a measured table into docs/PERFORMANCE.md between its markers (replacing the one
    measured before), with the machine, the command and the date; the prose stays as written."""
    stamp = (
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, by `{' '.join(['python', *sys.argv])}`."
    )
    begin, end = f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"
    block = f"{begin}\n{table}\n\n{stamp}\n{end}"
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Performance\n"
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    REPORT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
