"""TLS inside the VPC: the internal load balancer's certificate and the name the Lambdas call.

A configured ACM certificate (``service_certificate``) serves its own domain name; without one
the platform runs a private certificate authority (AWS Private CA) that issues ACM a
certificate for ``service.<prefix>.internal``, and hands the Lambdas its root certificate to
verify the service with. Either way a private zone in the VPC resolves the name to the load
balancer.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_acmpca as acmpca
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elb
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as targets
from constructs import Construct

from datahub_platform.config import PlatformConfig

ROOT_CA_TEMPLATE = "arn:{partition}:acm-pca:::template/RootCACertificate/V1"
CA_VALIDITY_YEARS = 10
# The Lambdas verify the service's certificate against this PEM when it is set (a private CA
# no trust store holds); unset, against their default trust store.
CA_CERTIFICATE_VARIABLE = "DATAHUB_SERVICE_CA_CERTIFICATE"


class ServiceTls(Construct):
    """The certificate of the service's HTTPS listener and the private name that points at it."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: PlatformConfig, vpc: ec2.IVpc
    ) -> None:
        super().__init__(scope, construct_id)
        self._vpc = vpc
        self.client_environment: dict[str, str] = {}
        configured = config.service_certificate
        if configured is not None:
            self.domain_name = configured.domain_name
            self.certificate: acm.ICertificate = acm.Certificate.from_certificate_arn(
                self, "Certificate", configured.certificate_arn
            )
            return
        self.domain_name = f"service.{config.prefix}.internal"
        authority_arn, activation, root_pem = self._private_authority(config.prefix)
        self.certificate = acm.PrivateCertificate(
            self,
            "Certificate",
            domain_name=self.domain_name,
            certificate_authority=acmpca.CertificateAuthority.from_certificate_authority_arn(
                self, "Authority", authority_arn
            ),
        )
        self.certificate.node.add_dependency(activation)
        self.client_environment = {CA_CERTIFICATE_VARIABLE: root_pem}

    def point_at(self, balancer: elb.ApplicationLoadBalancer) -> None:
        """Resolve the service's name to ``balancer`` inside the VPC."""
        zone = route53.PrivateHostedZone(self, "Zone", zone_name=self.domain_name, vpc=self._vpc)
        route53.ARecord(
            self,
            "Name",
            zone=zone,
            target=route53.RecordTarget.from_alias(targets.LoadBalancerTarget(balancer)),
        )

    def _private_authority(
        self, prefix: str
    ) -> tuple[str, acmpca.CfnCertificateAuthorityActivation, str]:
        """A root CA, self-signed and active, that ACM may issue and renew from."""
        authority = acmpca.CfnCertificateAuthority(
            self,
            "PrivateCa",
            type="ROOT",
            key_algorithm="EC_prime256v1",
            signing_algorithm="SHA256WITHECDSA",
            usage_mode="GENERAL_PURPOSE",
            subject=acmpca.CfnCertificateAuthority.SubjectProperty(
                common_name=f"{prefix} internal CA", organization="DATAHUB"
            ),
        )
        root = acmpca.CfnCertificate(
            self,
            "PrivateCaCertificate",
            certificate_authority_arn=authority.attr_arn,
            certificate_signing_request=authority.attr_certificate_signing_request,
            signing_algorithm="SHA256WITHECDSA",
            template_arn=ROOT_CA_TEMPLATE.format(partition=cdk.Aws.PARTITION),
            validity=acmpca.CfnCertificate.ValidityProperty(type="YEARS", value=CA_VALIDITY_YEARS),
        )
        activation = acmpca.CfnCertificateAuthorityActivation(
            self,
            "PrivateCaActivation",
            certificate_authority_arn=authority.attr_arn,
            certificate=root.attr_certificate,
            status="ACTIVE",
        )
        permission = acmpca.CfnPermission(
            self,
            "AcmMayRenew",
            certificate_authority_arn=authority.attr_arn,
            actions=["IssueCertificate", "GetCertificate", "ListPermissions"],
            principal="acm.amazonaws.com",
        )
        activation.node.add_dependency(permission)
        return authority.attr_arn, activation, root.attr_certificate
