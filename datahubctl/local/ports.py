"""Ports the local platform listens on: refused at once, with what to do, when taken."""

from __future__ import annotations

import socket

from service_contract.errors import Unavailable


def refuse_a_taken_port(host: str, port: int, *, what: str, setting: str, hint: str = "") -> None:
    """Fail before anything starts when ``port`` is taken (0: any free one, never taken);
    ``what`` listens there, ``setting`` moves it."""
    if port == 0:
        return
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind
        try:
            probe.bind((host, port))
        except OSError as error:
            raise Unavailable(
                f"port {port} on {host}, for {what}, is taken ({error.strerror}): stop what "
                f"holds it, or set {setting} to another port{hint}",
                code="port_in_use",
                field=setting.removeprefix("DATAHUB_").lower(),
            ) from None
