"""SIGTERM handled like Ctrl-C (aligner/rundir/signals.py): one line, exit 143, the previous output intact;
the
worker processes of ``run --jobs 2`` die with their parent, even when it is SIGKILLed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from aligner.rundir.signals import EXIT_TERMINATED

ROOT = Path(__file__).resolve().parent.parent
EN = "The river rose by 3 metres overnight. Schools were closed. The mayor spoke at noon."
RU = "За ночь река поднялась на 3 метра. Школы были закрыты. Мэр выступил в полдень."

# `aligner run` through the real entry point, the test double as encoder, stopped in the align stage.
RUN_THEN_WAIT = """
import sys, time
import aligner.embedding.encoder as embed
import aligner.pipeline as pipeline
from aligner.cli import main
from aligner.testing import HashingEncoder

embed.load_encoder = lambda *args, **kwargs: HashingEncoder()
def wait(*args, **kwargs):
    print("aligning", flush=True)
    time.sleep(120)
pipeline.align_stories = wait
sys.argv = ["aligner", *sys.argv[1:]]
main()
"""

# A pool with the real worker initializer; prints every child's pid, then SIGKILLs itself.
POOL_THEN_DIE = """
import os, signal, sys, threading, time
from aligner.engines.pool import WorkerPool

pool = WorkerPool(2)  # both workers started (it waits for them)
threading.Thread(target=pool.map, args=(time.sleep, [120, 120]), daemon=True).start()
time.sleep(0.5)
children = open(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read().split()
print(" ".join(children), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}


def test_sigterm_is_one_line_exit_143_and_the_previous_output_intact(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "en.txt").write_text(EN, encoding="utf-8")
    (folder / "ru.txt").write_text(RU, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("previous", encoding="utf-8")
    args = [str(folder), "--out", str(out), "--force", "--lang", "en=en", "--lang", "ru=ru", "--no-cache"]
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_THEN_WAIT, "run", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert process.stdout.readline().strip() == "aligning"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == EXIT_TERMINATED == 143
    assert stderr.strip().splitlines()[-1] == (
        "aligner: terminated (SIGTERM); no output was written, the previous output is intact"
    )
    assert "Traceback" not in stderr
    assert (out / "manifest.json").read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.tmp")] == []


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie is dead, only not yet reaped


def test_workers_die_with_their_parent_even_after_a_sigkill(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-c", POOL_THEN_DIE, str(tmp_path / "cache.sqlite")],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    children = [int(pid) for pid in process.stdout.readline().split()]
    assert process.wait(timeout=60) == -signal.SIGKILL
    assert len(children) >= 2  # two workers (and the resource tracker, when one was started)
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in children if _alive(pid)]


def test_the_ray_engine_gets_our_sigterm_handler_back(monkeypatch):
    """Ray's core worker installs its own SIGTERM handler (a C stack dump); make_engine puts ours back.
    A stand-in engine replaces the handler as ray.init does, so no cluster is started."""
    import aligner.engines.on_ray as on_ray
    from aligner.engines import make_engine
    from aligner.rundir import signals

    class ReplacesTheHandler:
        def __init__(self, **options):
            signal.signal(signal.SIGTERM, signal.SIG_DFL)

    original = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(on_ray, "RayEngine", ReplacesTheHandler)
    try:
        signals.handle_sigterm()
        make_engine("ray")
        assert signal.getsignal(signal.SIGTERM) is signals._raise_terminated
    finally:
        signal.signal(signal.SIGTERM, original)
        monkeypatch.setattr(signals, "_installed", False)
