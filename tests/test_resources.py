"""Bounded resources: options that would make memory or time explode are refused when read, inline
markup is read in linear time, and a Ray address where something else answers fails within seconds."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from aligner.align.config import MAX_BEAD_LIMIT, AlignConfig
from aligner.cli import cli
from aligner.cli import options as cli_module


@pytest.mark.parametrize("value", ["99999999999999999999999", str(MAX_BEAD_LIMIT + 1)])
@pytest.mark.parametrize("command", ["run", "align"])
def test_a_huge_max_bead_is_a_usage_error_before_any_work(tmp_path, command, value):
    (tmp_path / "a.txt").write_text("One. Two.", encoding="utf-8")
    args = (
        ["run", str(tmp_path), "--out", str(tmp_path / "out")]
        if command == "run"
        else ["align", str(tmp_path / "a.txt"), str(tmp_path / "a.txt")]
    )
    result = CliRunner().invoke(cli, [*args, "--max-bead", value])
    assert result.exit_code == 2, result.output
    assert "--max-bead" in result.stderr and f"1<=x<={MAX_BEAD_LIMIT}" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_aligner_config_refuses_a_bead_side_beyond_the_limit_too():
    assert cli_module.MAX_BEAD_LIMIT == MAX_BEAD_LIMIT  # the CLI's copy (it starts without numpy)
    assert AlignConfig(max_bead=MAX_BEAD_LIMIT).max_bead == MAX_BEAD_LIMIT
    with pytest.raises(ValueError, match="max_bead"):
        AlignConfig(max_bead=MAX_BEAD_LIMIT + 1)
    with pytest.raises(ValueError, match="max_bead_total"):
        AlignConfig(max_bead_total=10**9)


def test_a_segment_of_fifty_thousand_inline_tags_is_read_in_linear_time():
    """Joining the parts pairwise was quadratic: 20,000 tags took 18 s, 120,000 took 128 s; now ~1 s."""
    import time

    from lxml import etree

    from aligner.bilingual.markup import inline

    tags = 50_000
    body = "Step 3 " + "".join(f'<x id="{i}"/>a' for i in range(tags))
    element = etree.fromstring(f'<source xmlns="urn:oasis:names:tc:xliff:document:1.2">{body}</source>')
    started = time.perf_counter()
    masked = inline(element)
    seconds = time.perf_counter() - started
    assert seconds < 10, f"{tags} inline tags took {seconds:.1f} s"  # the quadratic join: over 100 s
    assert masked.shown.count("<x id=") == tags and masked.read.startswith("Step 3 a a")
    assert len(masked.origin) == len(masked.read) + 1 and masked.origin[-1] == len(masked.shown)


@pytest.fixture
def http_server():
    """An HTTP server on a free loopback port, for as long as the test runs: its HOST:PORT."""
    import threading
    from http.server import HTTPServer, SimpleHTTPRequestHandler

    server = HTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_ray_address_where_an_http_server_answers_fails_within_seconds(http_server):
    import time

    from aligner.engines import make_engine
    from aligner.errors import AlignerError

    started = time.monotonic()
    with pytest.raises(AlignerError, match="something else answers there, not a Ray cluster") as error:
        make_engine("ray", address=http_server)  # Ray itself: 150 s and more, deaf to Ctrl-C
    assert time.monotonic() - started < 10
    assert "\n" not in str(error.value) and http_server in str(error.value)


def test_a_ray_address_where_a_listener_never_answers_fails_after_the_timeout():
    import socket
    import time

    from aligner.engines.on_ray import _reachable
    from aligner.errors import AlignerError

    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts (the kernel does), says nothing
        address = f"127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(AlignerError, match="not a Ray cluster"):
            _reachable(address, timeout=1.0)
        assert time.monotonic() - started < 5


@pytest.mark.ray
def test_without_an_address_a_local_cluster_is_started_whatever_ray_address_names(monkeypatch):
    """Before: ray.init(address=None) joined the cluster named in $RAY_ADDRESS or in
    /tmp/ray/ray_current_cluster, a dead one included, and retried for minutes."""
    import time

    ray = pytest.importorskip("ray")
    from aligner.engines import make_engine

    if ray.is_initialized():
        pytest.skip("a Ray session is open in this process")
    monkeypatch.setenv("RAY_ADDRESS", "127.0.0.1:1")  # nobody there
    started = time.monotonic()
    engine = make_engine("ray", 1)
    try:
        assert engine.started_here and engine.cpus >= 1
        assert time.monotonic() - started < 120
    finally:
        engine.close()
