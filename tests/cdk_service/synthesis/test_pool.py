"""The warm synth pool: spreading, waiting, timeouts, deaths, recycling, errors and cleanup."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

import pytest

from cdk_service.synthesis.models import SynthResult
from cdk_service.synthesis.pool import SynthPool
from service_contract.errors import (
    Busy,
    Conflict,
    InvalidInput,
    PolicyViolation,
    Unavailable,
    UpstreamFailure,
)
from tests.cdk_service.synthesis.fake_jobs import fake_pool, fake_request
from tests.cdk_service.synthesis.real_jobs import queue_request, queue_types, real_pool


def pid_of(result: SynthResult) -> int:
    """The worker process that synthesized a fake result."""
    pid: int = result.template["Metadata"]["pid"]
    return pid


def is_alive(pid: int) -> bool:
    """True while a process runs (a zombie left to a non-reaping init counts as dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


async def eventually(check: Callable[[], bool], seconds: float = 5.0) -> None:
    """Wait until a condition holds."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "condition never held"
        await asyncio.sleep(0.02)


async def pids_in(pid_file: Path) -> tuple[int, int]:
    """The (worker, node-like child) pids a fake synth wrote once it started."""
    await eventually(lambda: pid_file.exists() and bool(pid_file.read_text()))
    worker, child = pid_file.read_text().split()
    return int(worker), int(child)


@pytest.fixture
async def tmp_root(tmp_path: Path) -> AsyncIterator[Path]:
    """The pools' temp root; every test ends with nothing left in it."""
    root = tmp_path / "synth"
    yield root
    assert not root.exists() or list(root.iterdir()) == []


@pytest.fixture
async def make_pool(tmp_root: Path) -> AsyncIterator[Callable[..., Any]]:
    """Starts fake-job pools and closes them after the test."""
    pools: list[SynthPool] = []

    async def start(**options: Any) -> SynthPool:
        pool = fake_pool(tmp_root, **options)
        pools.append(pool)
        await pool.start()
        return pool

    yield start
    for pool in pools:
        await pool.close()


async def test_concurrent_requests_spread_over_workers_and_all_succeed(make_pool):
    pool = await make_pool(workers=2)

    results = await asyncio.gather(
        *(pool.synthesize(fake_request("sleep", seconds=0.3)) for _ in range(4))
    )

    spans = [(m["started"], m["finished"]) for m in (r.template["Metadata"] for r in results)]
    overlapping = [(a, b) for a, b in combinations(spans, 2) if a[0] < b[1] and b[0] < a[1]]
    assert overlapping  # two ran at the same time, on two workers, not one after another
    assert len({pid_of(r) for r in results}) == 2
    stats = pool.stats()
    assert (stats["synths"], stats["busy"], stats["warm"]) == (4, 0, 2)


async def test_each_worker_runs_one_synth_at_a_time_and_requests_wait_their_turn(make_pool):
    pool = await make_pool(workers=1)
    requests = [
        asyncio.create_task(pool.synthesize(fake_request("sleep", seconds=0.2))) for _ in range(3)
    ]
    await eventually(lambda: pool.stats()["busy"] == 1)

    assert pool.stats()["waiting"] == 2
    results = [await r for r in requests]
    spans = sorted(
        (r.template["Metadata"]["started"], r.template["Metadata"]["finished"]) for r in results
    )
    assert all(earlier[1] <= later[0] for earlier, later in pairwise(spans))
    assert len({pid_of(r) for r in results}) == 1


async def test_past_max_waiting_a_synth_is_refused_at_once_and_the_waiting_ones_finish(make_pool):
    pool = await make_pool(workers=1, max_waiting=2)
    admitted = [
        asyncio.create_task(pool.synthesize(fake_request("sleep", seconds=1.0))) for _ in range(3)
    ]
    await eventually(lambda: pool.stats()["busy"] == 1 and pool.stats()["waiting"] == 2)

    with pytest.raises(Busy) as refused:
        await pool.synthesize(fake_request())

    assert not any(task.done() for task in admitted)  # refused without waiting for a worker
    assert refused.value.code == "synth_busy" and refused.value.retry_after >= 1
    assert "2 synths are waiting" in refused.value.message
    assert len(await asyncio.gather(*admitted)) == 3
    assert pool.stats()["refused_busy"] == 1
    await pool.synthesize(fake_request())  # room again once the queue drained


async def test_killed_worker_fails_only_its_own_request_and_the_pool_heals(make_pool, tmp_path):
    pool = await make_pool(workers=2)
    pid_file = tmp_path / "victim.pid"
    victim = asyncio.create_task(
        pool.synthesize(fake_request("sleep", seconds=30, pid_file=str(pid_file)))
    )
    bystander = asyncio.create_task(pool.synthesize(fake_request("sleep", seconds=0.5)))
    worker_pid, child_pid = await pids_in(pid_file)

    os.kill(worker_pid, signal.SIGKILL)

    with pytest.raises(UpstreamFailure) as failure:
        await victim
    assert failure.value.code == "synth_worker_died"
    assert str(worker_pid) in failure.value.message
    assert pid_of(await bystander) != worker_pid
    await eventually(lambda: pool.stats()["warm"] == 2)
    assert pool.stats()["died"] == 1
    assert pool.stats()["replaced"] == 1
    both = await asyncio.gather(
        *(pool.synthesize(fake_request("sleep", seconds=0.2)) for _ in "ab")
    )
    cpus = {tuple(r.template["Metadata"]["cpus"]) for r in both}
    assert len(cpus) == min(2, len(os.sched_getaffinity(0)))  # the replacement took the free CPU
    await eventually(lambda: not is_alive(child_pid))


async def test_runaway_synth_is_killed_at_the_timeout_and_its_worker_replaced(make_pool, tmp_path):
    pool = await make_pool(workers=1, timeout_seconds=0.5)
    pid_file = tmp_path / "runaway.pid"
    started = time.monotonic()

    with pytest.raises(UpstreamFailure) as failure:
        await pool.synthesize(fake_request("sleep", seconds=60, pid_file=str(pid_file)))

    assert time.monotonic() - started < 30  # killed, not left to sleep its 60 s
    assert failure.value.code == "synth_timeout"
    assert "0.5 s" in failure.value.message
    worker_pid, child_pid = await pids_in(pid_file)
    await eventually(lambda: not is_alive(worker_pid) and not is_alive(child_pid))
    assert pid_of(await pool.synthesize(fake_request())) != worker_pid
    assert pool.stats()["killed"] == 1
    assert pool.stats()["replaced"] == 1


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two CPUs")
async def test_workers_and_their_children_are_pinned_to_different_cpus(make_pool, tmp_path):
    pool = await make_pool(workers=2)
    pid_file = tmp_path / "pinned.pid"

    results = await asyncio.gather(
        pool.synthesize(fake_request("sleep", seconds=0.2, pid_file=str(pid_file))),
        pool.synthesize(fake_request("sleep", seconds=0.2)),
    )

    pinned = sorted(tuple(r.template["Metadata"]["cpus"]) for r in results)
    assert pinned == [(cpu,) for cpu in sorted(os.sched_getaffinity(0))[:2]]
    worker_pid, child_pid = await pids_in(pid_file)
    assert os.sched_getaffinity(child_pid) == os.sched_getaffinity(worker_pid)


async def test_workers_may_run_on_any_cpu(make_pool):
    pool = await make_pool(workers=1, pin_cpus=False)

    result = await pool.synthesize(fake_request())

    assert result.template["Metadata"]["cpus"] == sorted(os.sched_getaffinity(0))


async def test_worker_is_recycled_after_its_quota_of_synths(make_pool):
    pool = await make_pool(workers=1, recycle_after=2)

    pids = [pid_of(await pool.synthesize(fake_request())) for _ in range(3)]

    assert pids[0] == pids[1] != pids[2]
    assert pool.stats()["recycled"] == 1
    assert pool.stats()["replaced"] == 1
    await eventually(lambda: not is_alive(pids[0]))


async def test_a_worker_that_exits_mid_synth_fails_that_request_only(make_pool):
    pool = await make_pool(workers=1)

    with pytest.raises(UpstreamFailure) as failure:
        await pool.synthesize(fake_request("exit"))

    assert failure.value.code == "synth_worker_died"
    assert "exit code 3" in failure.value.message
    assert (await pool.synthesize(fake_request())).cached is False


async def test_datahub_errors_cross_the_process_boundary_unchanged(make_pool):
    pool = await make_pool(workers=1)
    findings = [{"rule_id": "AwsSolutions-S1", "resource": "Stack/Bucket"}]

    with pytest.raises(PolicyViolation) as violation:
        await pool.synthesize(
            fake_request("raise", error="PolicyViolation", message="nag says no", details=findings)
        )
    with pytest.raises(InvalidInput) as invalid:
        await pool.synthesize(
            fake_request(
                "raise", error="InvalidInput", message="bad", code="bad_cidr", field="cidr"
            )
        )

    assert type(violation.value) is PolicyViolation
    assert violation.value.as_dict() == {
        "code": "policy_violation",
        "message": "nag says no",
        "details": findings,
    }
    assert type(invalid.value) is InvalidInput
    assert (invalid.value.code, invalid.value.field, invalid.value.message) == (
        "bad_cidr",
        "cidr",
        "bad",
    )


async def test_unexpected_exceptions_become_a_generic_failure_and_the_worker_lives_on(make_pool):
    pool = await make_pool(workers=1)
    pid = pid_of(await pool.synthesize(fake_request()))

    with pytest.raises(UpstreamFailure) as failure:
        await pool.synthesize(fake_request("crash", message="template bug"))

    assert failure.value.code == "synth_failed"
    assert "ValueError: template bug" in failure.value.message
    assert pid_of(await pool.synthesize(fake_request())) == pid


async def test_outdir_is_removed_after_each_synth(make_pool):
    pool = await make_pool(workers=1)

    result = await pool.synthesize(fake_request("litter"))

    assert not Path(result.template["Outputs"]["Outdir"]["Value"]).exists()


async def test_close_leaves_nothing_in_tmp_root_even_after_kills(tmp_root, tmp_path):
    pool = fake_pool(tmp_root, workers=2, timeout_seconds=0.5)
    await pool.start()
    for _ in range(2):
        await pool.synthesize(fake_request("litter"))
    with pytest.raises(UpstreamFailure):
        await pool.synthesize(fake_request("sleep", seconds=60))
    pid_file = tmp_path / "busy.pid"
    busy = asyncio.create_task(
        pool.synthesize(fake_request("sleep", seconds=60, pid_file=str(pid_file)))
    )
    _, child_pid = await pids_in(pid_file)

    await pool.close()

    with pytest.raises(Unavailable):
        await busy
    assert list(tmp_root.iterdir()) == []
    assert not is_alive(child_pid)
    with pytest.raises(Unavailable):
        await pool.synthesize(fake_request())


async def test_a_cancelled_caller_leaves_its_worker_to_finish_and_serve_again(make_pool):
    pool = await make_pool(workers=1)
    first = asyncio.create_task(pool.synthesize(fake_request("sleep", seconds=0.3)))
    await eventually(lambda: pool.stats()["busy"] == 1)

    first.cancel()
    result = await pool.synthesize(fake_request())

    assert pool.stats()["synths"] == 2
    assert pool.stats()["died"] == pool.stats()["killed"] == 0
    assert pid_of(result) > 0


async def test_start_fails_with_unavailable_when_the_job_cannot_be_imported(tmp_root):
    pool = fake_pool(tmp_root, workers=2, job_module="tests.cdk_service.synthesis.no_such_job")

    with pytest.raises(Unavailable) as unavailable:
        await pool.start()

    assert "ModuleNotFoundError" in unavailable.value.message
    assert not pool.ready
    with pytest.raises(Unavailable):
        await pool.synthesize(fake_request())


async def test_start_fails_with_unavailable_when_warm_up_stalls(tmp_root, monkeypatch):
    monkeypatch.setenv("FAKE_JOB_WARM_SECONDS", "30")
    pool = fake_pool(tmp_root, warm_timeout_seconds=0.5)

    with pytest.raises(Unavailable, match=r"did not warm within 0\.5 s"):
        await pool.start()


async def test_requests_fail_fast_when_no_replacement_can_warm(make_pool, monkeypatch):
    pool = await make_pool(workers=1)
    pid = pid_of(await pool.synthesize(fake_request()))
    monkeypatch.setenv("FAKE_JOB_WARM", "fail")

    os.kill(pid, signal.SIGKILL)
    await eventually(lambda: pool.stats()["warm_failures"] == 1)

    with pytest.raises(Unavailable, match="this job cannot warm"):
        await pool.synthesize(fake_request())
    assert not pool.ready
    assert pool.stats()["died"] == 1


async def test_a_replacement_that_crashes_while_warming_is_retried_not_multiplied(
    make_pool, monkeypatch
):
    pool = await make_pool(workers=1)
    pid = pid_of(await pool.synthesize(fake_request()))
    monkeypatch.setenv("FAKE_JOB_WARM", "crash")

    os.kill(pid, signal.SIGKILL)
    await eventually(lambda: pool.stats()["warm_failures"] == 1)
    await asyncio.sleep(0.3)

    assert pool.stats()["died"] == 1
    assert pool.stats()["starting"] == 0  # one slot, waiting out its back-off
    with pytest.raises(Unavailable, match="exited during warm-up"):
        await pool.synthesize(fake_request())


def test_the_pool_and_service_never_import_jsii_in_the_parent():
    probe = (
        "import sys, cdk_service.synthesis.service, cdk_service.synthesis.pool; "
        "sys.exit(bool({'jsii', 'aws_cdk'} & set(sys.modules)))"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, timeout=60)


async def test_real_synthesizer_builds_a_builtin_template(tmp_root):
    pool = real_pool(tmp_root)
    await pool.start()
    try:
        result = await pool.synthesize(queue_request())
    finally:
        await pool.close()

    assert "AWS::SQS::Queue" in queue_types(result)
    assert len(result.digest) == 64


async def test_a_real_worker_warms_and_synthesizes_under_a_relative_temp_root(
    tmp_path, monkeypatch
):
    # The default state dir is the relative ".datahub": jsii refused a relative TMPDIR, so
    # no worker of `datahubctl up` ever became warm when run with the defaults.
    monkeypatch.chdir(tmp_path)
    request = queue_request()
    pool = real_pool(Path(".datahub") / "synth")
    await pool.start()
    try:
        result = await pool.synthesize(request)
    finally:
        await pool.close()

    assert "AWS::SQS::Queue" in queue_types(result)
    assert list((tmp_path / ".datahub" / "synth").iterdir()) == []


async def test_a_real_worker_refuses_a_request_made_for_other_template_code(tmp_root):
    digest = queue_request().code_digest
    pool = real_pool(tmp_root)
    await pool.start()
    try:
        with pytest.raises(Conflict) as refused:
            await pool.synthesize(queue_request("e" * 64))
        result = await pool.synthesize(queue_request())
        stats = pool.stats()
    finally:
        await pool.close()

    assert refused.value.code == "code_digest_mismatch"
    message = refused.value.message
    assert f"has code {digest[:12]}" in message and f"not the code {'e' * 12}" in message
    assert refused.value.details["worker_digest"] == digest
    assert "AWS::SQS::Queue" in queue_types(result)
    # Refusing is an answer, not a fault: the worker stays and synthesizes the next request.
    assert (stats["synths"], stats["killed"], stats["died"], stats["warm"]) == (2, 0, 0, 1)
