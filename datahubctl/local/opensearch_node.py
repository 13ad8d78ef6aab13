"""A single OpenSearch node on loopback, run by the launcher in ``tools/opensearch/``.

The launcher (built by ``bash tools/opensearch/build`` from OpenSearch's Maven artifacts) starts
the node with its data in a folder of ours, prints where it listens and stops when its standard
input closes, so a node never outlives the process that started it.
"""

from __future__ import annotations

import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parents[2] / "tools" / "opensearch" / "target"
MAIN_CLASS = "datahub.opensearch.TestNode"
HEAP = ["-Xms256m", "-Xmx512m"]
START_SECONDS = 180
STOP_SECONDS = 30


class NodeDidNotStart(RuntimeError):
    """The node exited or stayed silent; the message carries the end of its log."""


def launcher_classpath() -> str | None:
    """The launcher's classpath when it is built and Java is installed, else None."""
    jar = LAUNCHER / "opensearch-test-node-1.jar"
    dependencies = LAUNCHER / "classpath.txt"
    if not (shutil.which("java") and jar.is_file() and dependencies.is_file()):
        return None
    return f"{jar}:{dependencies.read_text().strip()}"


def _listening_url(node: subprocess.Popen[str], log: Path) -> str:
    assert node.stdout is not None
    deadline = time.monotonic() + START_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([node.stdout], [], [], left)
        line = node.stdout.readline() if ready else ""
        if line.startswith("listening "):
            return line.split()[1]
        if ready and not line:  # the launcher exited
            break
    node.kill()
    node.wait()
    raise NodeDidNotStart(f"OpenSearch did not start: {log.read_text()[-2000:]}")


@contextmanager
def opensearch_node(home: Path | None = None, *, port: int = 0) -> Iterator[str]:
    """A running node (in ``home``, else a temporary folder removed after); yields its URL."""
    classpath = launcher_classpath()
    if classpath is None:
        raise NodeDidNotStart("no java, or the launcher is not built: bash tools/opensearch/build")
    folder = home or Path(tempfile.mkdtemp(prefix="datahub-opensearch-"))
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "node.log"
    command = ["java", *HEAP, "-cp", classpath, MAIN_CLASS, str(folder), str(port)]
    with log.open("w") as errors:
        node = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True
        )
    try:
        yield _listening_url(node, log)
    finally:
        _stop(node)
        if home is None:
            shutil.rmtree(folder, ignore_errors=True)


def _stop(node: subprocess.Popen[str]) -> None:
    if node.stdin is not None:
        node.stdin.close()
    try:
        node.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        node.kill()
        node.wait()
