"""Scale: the local engine against Ray, a two-node Ray cluster, stories at 100k-1M documents, a projection.

    .venv/bin/python scripts/bench_scale.py                      # every part, the whole NTREX pile
    .venv/bin/python scripts/bench_scale.py --parts engines --docs 25   # 25 NTREX stories x 5 languages

Parts (``--parts``, comma-separated; "incremental" as well: the pile less one story, then with it):
1. engines: ``aligner run`` on the NTREX pile (``--docs`` stories x 5 languages, one article a file), in
   one invocation: local cold, Ray cold (a local cluster started by the run), then both warm (cache and
   vector store kept, nothing reused: --no-resume). Each run is a fresh process, so model loading and
   Ray's start count. The outputs are compared byte for byte.
2. cluster: a two-node Ray cluster on this machine (``ray start --head`` and ``ray start --address``
   on 127.0.0.1, one CPU each), the same pile cold through ``--ray-address``; texts encoded per node.
3. stories: candidate search and joining of the stories stage on synthetic document vectors (stated as
   such: random unit vectors, ``--scale-dim`` dimensions, 5 languages), 100k and 1M documents, through
   the local engine and a Ray cluster of one and of two nodes; time and peak memory.
4. projection (on paper, from the measured rates): hours and nodes for 10 million documents.
Results go to ``--json`` (default bench_scale.json).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import NTREX_DIR, build_pile  # the same NTREX pile as the speed benchmark

ALIGNER = str(Path(sys.executable).parent / "aligner")


def run_aligner(pile: Path, out: Path, cache: Path, extra: list[str]) -> dict:
    """One ``aligner run`` in a fresh process: wall time, the manifest's stages and execution."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ALIGNER_CACHE": str(cache), "RAY_AUTH_MODE": "disabled"}
    command = [ALIGNER, "run", str(pile), "--out", str(out), "--force", "--quiet", *extra]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {"seconds": round(seconds, 1), "timings": manifest["timings"], "execution": manifest["execution"]}


def same_bytes(first: Path, second: Path) -> bool:
    names = sorted(
        p.relative_to(first) for p in first.rglob("*") if p.is_file() and p.name != "manifest.json"
    )
    others = sorted(
        p.relative_to(second) for p in second.rglob("*") if p.is_file() and p.name != "manifest.json"
    )
    return names == others and all((first / n).read_bytes() == (second / n).read_bytes() for n in names)


def part_engines(pile: Path, work: Path) -> dict:
    report: dict = {}
    for engine in ("local", "ray"):
        cache = work / f"cache-{engine}"
        extra = ["--engine", engine, "--no-resume"]
        if engine == "ray":
            extra += ["--store", str(work / "store-ray")]
        report[f"{engine}_cold"] = run_aligner(pile, work / f"out-{engine}", cache, extra)
        report[f"{engine}_warm"] = run_aligner(pile, work / f"out-{engine}-warm", cache, extra)
    report["same_bytes_cold"] = same_bytes(work / "out-local", work / "out-ray")
    report["same_bytes_warm"] = same_bytes(work / "out-local-warm", work / "out-ray-warm")
    # Two worker processes aligning (local, warm: the align stage is what --jobs changes).
    extra = ["--engine", "local", "--no-resume", "--jobs", "2"]
    report["local_jobs2_warm"] = run_aligner(pile, work / "out-local-jobs2", work / "cache-local", extra)
    report["same_bytes_jobs2"] = same_bytes(work / "out-local", work / "out-local-jobs2")
    report["ray_over_local_cold"] = round(report["ray_cold"]["seconds"] / report["local_cold"]["seconds"], 3)
    report["ray_over_local_warm"] = round(report["ray_warm"]["seconds"] / report["local_warm"]["seconds"], 3)
    return report


def part_incremental(pile: Path, work: Path) -> dict:
    """A run on the pile less its last story, then the same run with that story's files added (about 1%
    of the documents of the whole NTREX pile): time of the rerun against the first run, per engine."""
    report: dict = {}
    files = sorted(pile.glob("*.txt"))

    def story(path: Path) -> str:  # LANG.SOURCE.ID.cN.txt: the NTREX document id is SOURCE.ID
        return path.name.split(".", 1)[1].rsplit(".c", 1)[0]

    last = sorted({story(p) for p in files})[-1]
    held = [p for p in files if story(p) == last]
    for engine in ("local", "ray"):
        base = work / "pile-less"  # one folder for both engines: the same sources in documents.jsonl
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        for path in files:
            if path not in held:
                shutil.copy(path, base / path.name)
        cache, out = work / f"cache-incremental-{engine}", work / f"out-incremental-{engine}"
        extra = ["--engine", engine] + (
            ["--store", str(work / "store-incremental")] if engine == "ray" else []
        )
        first = run_aligner(base, out, cache, extra)
        for path in held:
            shutil.copy(path, base / path.name)
        again = run_aligner(base, out, cache, extra)
        report[engine] = {
            "documents_before": len(files) - len(held),
            "documents_added": len(held),
            "first_seconds": first["seconds"],
            "rerun_seconds": again["seconds"],
            "rerun_over_first": round(again["seconds"] / first["seconds"], 3),
            "rerun_execution": again["execution"],
        }
    report["same_bytes"] = same_bytes(work / "out-incremental-local", work / "out-incremental-ray")
    return report


def ray_command(*args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "ray"), *args]


class Cluster:
    """``nodes`` Ray nodes on 127.0.0.1, one CPU each, each a ``ray start --block`` process of ours.

    Stopping ends those processes only (``ray stop`` would end every Ray process of the machine).
    """

    def __init__(self, nodes: int, port: int) -> None:
        self.address = f"127.0.0.1:{port}"
        self.temp = Path(tempfile.mkdtemp(prefix="ray-", dir="/tmp"))  # Ray's socket paths must stay short
        env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}
        head = ["start", "--head", "--block", "--node-ip-address", "127.0.0.1", "--port", str(port)]
        head += ["--num-cpus", "1", "--include-dashboard", "false", "--temp-dir", str(self.temp)]
        self.processes = [
            subprocess.Popen(
                ray_command(*head), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        ]
        time.sleep(8)  # the head's GCS must be up before a worker joins
        for _ in range(nodes - 1):
            worker = ["start", "--block", "--address", self.address, "--node-ip-address", "127.0.0.1"]
            worker += ["--num-cpus", "1"]
            self.processes.append(
                subprocess.Popen(
                    ray_command(*worker), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
        self._wait_for(nodes)

    def _wait_for(self, nodes: int) -> None:
        import ray

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                ray.init(address=self.address, _node_ip_address="127.0.0.1", logging_level="ERROR")
                alive = sum(node["Alive"] for node in ray.nodes())
                ray.shutdown()
                if alive >= nodes:
                    return
            except (ConnectionError, RuntimeError):
                pass
            time.sleep(2)
        raise SystemExit(f"the Ray cluster at {self.address} did not reach {nodes} nodes")

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(self.temp, ignore_errors=True)


def part_cluster(pile: Path, work: Path, port: int) -> dict:
    cluster = Cluster(2, port)
    address = cluster.address
    try:
        result = run_aligner(
            pile,
            work / "out-cluster",
            work / "cache-cluster",
            [
                "--engine",
                "ray",
                "--ray-address",
                address,
                "--no-resume",
                "--store",
                str(work / "store-cluster"),
            ],
        )
    finally:
        cluster.stop()
    if (work / "out-local").is_dir():  # the engines part ran first: the same bytes as local?
        result["same_bytes_as_local"] = same_bytes(work / "out-local", work / "out-cluster")
    nodes = result["execution"]["nodes"]
    result["per_node"] = {
        node[:8]: {
            "encoded_texts": stats["encoded_texts"],
            "texts_per_second": round(stats["encoded_texts"] / stats["encode_seconds"], 2)
            if stats["encode_seconds"]
            else 0.0,
        }
        for node, stats in nodes.items()
    }
    encode_wall = result["timings"].get("embed", 0.0)
    result["outside_encoding_seconds"] = round(result["seconds"] - encode_wall, 1)
    result["same_bytes_as_local"] = (
        same_bytes(work / "out-local", work / "out-cluster") if (work / "out-local").is_dir() else None
    )
    return result


def synthetic_documents(n_docs: int, dim: int, seed: int = 0):
    """Random unit vectors, one per document, in 5 languages: the candidate stage's input at scale."""
    import numpy as np

    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((n_docs, dim), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    langs = [("en", "ru", "uk", "ur", "ar")[i % 5] for i in range(n_docs)]
    return langs, vectors


def time_candidates(n_docs: int, dim: int, mapper) -> dict:
    from aligner.stories.config import StoryConfig
    from aligner.stories.join import join_pairs
    from aligner.stories.search import candidate_pairs

    langs, vectors = synthetic_documents(n_docs, dim)
    started = time.perf_counter()
    pairs = candidate_pairs(langs, vectors, StoryConfig(), mapper)
    search = time.perf_counter() - started
    started = time.perf_counter()
    stories = join_synthetic(langs, vectors, pairs, join_pairs)
    join = time.perf_counter() - started
    return {
        "docs": n_docs,
        "dim": dim,
        "candidate_pairs": len(pairs),
        "search_seconds": round(search, 1),
        "join_seconds": round(join, 1),
        "stories": stories,
        "pairs_sha256": hashlib.sha256(json.dumps(pairs).encode()).hexdigest()[:16],  # same on every engine
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def join_synthetic(langs, vectors, pairs, join) -> int:
    """The stories stage's join on the candidate edges, each scored by its documents' cosine."""
    import numpy as np

    from aligner.stories.calibration import Calibration
    from aligner.stories.config import StoryConfig
    from aligner.stories.evidence import PairEvidence

    ids = [f"d{i:07d}" for i in range(len(langs))]
    first, second = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    cosines = np.einsum("ij,ij->i", vectors[first], vectors[second]) if len(pairs) else np.zeros(0)

    class Scorer:  # the join asks for group-to-group scores; here, the documents' cosine
        def pair(self, i, j, bar):
            score = float(vectors[i] @ vectors[j])
            return PairEvidence(ids[i], ids[j], 1, 1, 1, 0, 0, 1.0, score, bar)

    threshold = float(np.quantile(cosines, 0.99)) if len(cosines) else 1.0
    evidence = [
        PairEvidence(ids[i], ids[j], 1, 1, 1, 0, 0, 1.0, float(c), 0.0)
        for (i, j), c in zip(pairs, cosines, strict=True)
        if c >= threshold
    ]
    evidence.sort(key=lambda ev: (-ev.score, ev.a, ev.b))
    calibration = Calibration(0.0, threshold, 0, len(pairs), "synthetic")
    return len(join(ids, langs, evidence, Scorer(), StoryConfig(), calibration))


def part_stories(sizes: list[int], dim: int, port: int) -> dict:
    from aligner.engines import LocalEngine

    report: dict = {}
    for n_docs in sizes:
        report[f"{n_docs}_local"] = time_candidates(n_docs, dim, LocalEngine().map)
        for nodes in (1, 2):
            cluster = Cluster(nodes, port)
            try:
                from aligner.engines.on_ray import RayEngine

                engine = RayEngine(address=cluster.address)
                report[f"{n_docs}_ray_{nodes}_nodes"] = time_candidates(n_docs, dim, engine.map)
                engine.close()
            finally:
                cluster.stop()
    return report


def projection(report: dict, gpu_rate: float) -> dict:
    """Hours for 10 million documents, from the rates measured above (a projection, not a measurement)."""
    engines = report.get("engines", {})
    cold = engines.get("ray_cold")
    if not cold:
        return {}
    sentences = report["sentences"]
    docs = report["documents"]
    encoded = cold["execution"]["encoded_texts"]
    embed = cold["timings"].get("embed", 0.0)
    rest = cold["seconds"] - embed
    per_doc_cpu = cold["seconds"] / docs  # seconds of one 2-core machine per document, everything in
    cpu_rate = encoded / embed if embed else 0.0  # texts per second on this 2-core machine
    docs_target = 10_000_000
    texts = encoded / docs * docs_target
    out = {
        "label": "projection from measured rates, not a measurement",
        "texts_per_document": round(encoded / docs, 2),
        "sentences_per_document": round(sentences / docs, 2),
        "cpu_texts_per_second_2_cores": round(cpu_rate, 2),
        "other_stages_seconds_per_document": round(rest / docs, 4),
        "cpu_node_hours_10M_docs_2_cores": round(per_doc_cpu * docs_target / 3600),
        "gpu_texts_per_second_assumed": gpu_rate,
    }
    gpu_hours = texts / gpu_rate / 3600 + rest / docs * docs_target / 3600
    out["gpu_node_hours_10M_docs"] = round(gpu_hours)
    for nodes in (10, 100):
        out[f"wall_hours_{nodes}_cpu_nodes"] = round(per_doc_cpu * docs_target / 3600 / nodes, 1)
        out[f"wall_hours_{nodes}_gpu_nodes"] = round(gpu_hours / nodes, 1)
    return out


def main() -> None:
    os.environ["RAY_AUTH_MODE"] = "disabled"  # the clusters here are on 127.0.0.1 and end with the run
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ntrex", type=Path, default=NTREX_DIR)
    parser.add_argument("--docs", type=int, default=123, help="NTREX stories in the pile (x 5 languages)")
    parser.add_argument("--parts", default="engines,incremental,cluster,stories,projection")
    parser.add_argument("--scale-sizes", default="100000,1000000")
    parser.add_argument("--scale-dim", type=int, default=128)
    parser.add_argument("--port", type=int, default=6391)
    parser.add_argument("--gpu-rate", type=float, default=1000.0, help="texts/s of one GPU (assumed)")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=Path("bench_scale.json"))
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    pile = work / "pile"
    report: dict = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load": os.getloadavg()}
    if not pile.is_dir():
        report["sentences"] = build_pile(args.ntrex, args.docs, 1, pile)
    else:
        report["sentences"] = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in pile.glob("*.txt"))
    report["documents"] = len(list(pile.glob("*.txt")))
    if "engines" in parts:
        report["engines"] = part_engines(pile, work)
        print(json.dumps(report["engines"], indent=1), flush=True)
    if "incremental" in parts:
        report["incremental"] = part_incremental(pile, work)
        print(json.dumps(report["incremental"], indent=1), flush=True)
    if "cluster" in parts:
        report["cluster"] = part_cluster(pile, work, args.port)
        print(json.dumps(report["cluster"], indent=1), flush=True)
    if "stories" in parts:
        sizes = [int(n) for n in args.scale_sizes.split(",") if n]
        report["stories"] = part_stories(sizes, args.scale_dim, args.port)
        print(json.dumps(report["stories"], indent=1), flush=True)
    if "projection" in parts:
        report["projection"] = projection(report, args.gpu_rate)
        print(json.dumps(report["projection"], indent=1), flush=True)
    report["load_after"] = os.getloadavg()
    args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"wrote {args.json} (work folder {work})")


if __name__ == "__main__":
    main()
