"""The Lambdas reach the service over HTTPS, verifying its certificate against the platform's CA.

A real TLS server on loopback with a certificate from a CA made here, as the platform's private
CA issues the load balancer's: the CA given in ``DATAHUB_SERVICE_CA_CERTIFICATE`` is trusted,
and without it (or with another CA) the call is refused, never sent unverified.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from api_lambdas.service_access import calls_as
from api_lambdas.settings import LambdaSettings
from service_contract.client import ServiceClient
from service_contract.errors import Unavailable
from service_contract.identity import Identity

CALLER = Identity(user="alan", groups=frozenset({"analytics"}))


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def certificate_authority(common: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A self-signed CA: its key and certificate."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common))
        .issuer_name(_name(common))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def server_context(folder: Path, ca_key: Any, ca: x509.Certificate) -> ssl.SSLContext:
    """A TLS server context for 127.0.0.1 with a certificate the CA signed."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("service.datahub.internal"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    (folder / "leaf.pem").write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    (folder / "leaf.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "leaf.pem", folder / "leaf.key")
    return context


def pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture
async def https_service(tmp_path: Path) -> AsyncIterator[tuple[str, str]]:
    """An HTTPS server answering ``/v1/me``; its URL and its CA's certificate (PEM)."""
    ca_key, ca = certificate_authority("DATAHUB test private CA")

    async def me(request: web.Request) -> web.Response:
        return web.json_response({"user": "alan"})

    app = web.Application()
    app.router.add_get("/v1/me", me)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_context(tmp_path, ca_key, ca))
    await site.start()
    port = runner.addresses[0][1]
    yield f"https://127.0.0.1:{port}", pem(ca)
    await runner.cleanup()


def settings(url: str, ca: str | None) -> LambdaSettings:
    return LambdaSettings(service_url=url, service_key="k", service_ca_certificate=ca)


async def test_the_platforms_ca_verifies_the_service(https_service: tuple[str, str]) -> None:
    url, ca = https_service
    calls = calls_as(settings(url, ca), CALLER)
    assert await calls.read("/v1/me") == {"user": "alan"}


@pytest.mark.parametrize("trusted", ["none", "another CA"])
async def test_a_certificate_no_trusted_ca_signed_is_refused(
    https_service: tuple[str, str], trusted: str
) -> None:
    url, _ = https_service
    ca = None if trusted == "none" else pem(certificate_authority("someone else")[1])
    with pytest.raises(Unavailable) as refused:
        await calls_as(settings(url, ca), CALLER).read("/v1/me")
    assert refused.value.code == "service_unreachable"  # what a GraphQL caller is told
    client = ServiceClient(url, key=b"k", identity=CALLER, ca_certificate=ca)
    with pytest.raises(Unavailable) as why:
        await client.request("GET", "/v1/me")
    assert "CERTIFICATE_VERIFY_FAILED" in str(why.value)  # what the Lambda logs
