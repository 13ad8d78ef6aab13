"""WAF web ACLs: AWS managed rule groups, a per-address rate limit, and an address allow-list."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as waf
from constructs import Construct

from datahub_platform.config import PlatformConfig
from datahub_platform.stacks.base import retained_log_group

WAF_LOG_PREFIX = "aws-waf-logs-"
REDACTED_HEADERS = ("authorization", "cookie")
MANAGED_RULE_GROUPS = (
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
)


class WebFirewall(Construct):
    """A web ACL for one scope (``REGIONAL`` or ``CLOUDFRONT``).

    With ``allow_list`` only the configured address ranges get through (the default action
    blocks); without it, anyone who passes the managed rules and the rate limit does.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        waf_scope: str,
        name: str,
        allow_list: bool,
    ) -> None:
        super().__init__(scope, construct_id)
        self._scope = waf_scope
        self._name = name
        rules = [self._rate_limit(config.sizing.api_requests_per_five_minutes)]
        rules += [
            self._managed(group, priority) for priority, group in enumerate(MANAGED_RULE_GROUPS, 1)
        ]
        if allow_list:
            rules += self._allowed_ranges(config, first_priority=len(rules))
        self.web_acl = waf.CfnWebACL(
            self,
            "WebAcl",
            name=name,
            scope=waf_scope,
            default_action=(
                waf.CfnWebACL.DefaultActionProperty(block={})
                if allow_list
                else waf.CfnWebACL.DefaultActionProperty(allow={})
            ),
            visibility_config=self._visibility(name),
            rules=rules,
        )
        self._log_requests(config.sizing.log_retention_days)

    def _log_requests(self, retention_days: int) -> None:
        # WAF writes only to log groups named aws-waf-logs-*, named by an ARN without ':*'.
        group_name = f"{WAF_LOG_PREFIX}{self._name}"
        log_group = retained_log_group(self, "Logs", days=retention_days)
        cfn_group = log_group.node.default_child
        assert isinstance(cfn_group, logs.CfnLogGroup)
        cfn_group.log_group_name = group_name
        logging = waf.CfnLoggingConfiguration(
            self,
            "Logging",
            resource_arn=self.arn,
            log_destination_configs=[
                cdk.Stack.of(self).format_arn(
                    service="logs",
                    resource="log-group",
                    resource_name=group_name,
                    arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                )
            ],
            # Bearer tokens and session cookies never reach the logs.
            redacted_fields=[
                waf.CfnLoggingConfiguration.FieldToMatchProperty(single_header={"Name": header})
                for header in REDACTED_HEADERS
            ],
        )
        logging.node.add_dependency(log_group)

    @property
    def arn(self) -> str:
        """The web ACL's ARN."""
        return self.web_acl.attr_arn

    def _visibility(self, metric: str) -> waf.CfnWebACL.VisibilityConfigProperty:
        return waf.CfnWebACL.VisibilityConfigProperty(
            cloud_watch_metrics_enabled=True,
            metric_name=metric,
            sampled_requests_enabled=True,
        )

    def _rate_limit(self, limit: int) -> waf.CfnWebACL.RuleProperty:
        return waf.CfnWebACL.RuleProperty(
            name="rate-limit-per-address",
            priority=0,
            action=waf.CfnWebACL.RuleActionProperty(block={}),
            statement=waf.CfnWebACL.StatementProperty(
                rate_based_statement=waf.CfnWebACL.RateBasedStatementProperty(
                    limit=limit, aggregate_key_type="IP"
                )
            ),
            visibility_config=self._visibility(f"{self._name}-rate-limit"),
        )

    def _managed(self, group: str, priority: int) -> waf.CfnWebACL.RuleProperty:
        return waf.CfnWebACL.RuleProperty(
            name=group,
            priority=priority,
            override_action=waf.CfnWebACL.OverrideActionProperty(none={}),
            statement=waf.CfnWebACL.StatementProperty(
                managed_rule_group_statement=waf.CfnWebACL.ManagedRuleGroupStatementProperty(
                    vendor_name="AWS", name=group
                )
            ),
            visibility_config=self._visibility(f"{self._name}-{group}"),
        )

    def _allowed_ranges(
        self, config: PlatformConfig, *, first_priority: int
    ) -> list[waf.CfnWebACL.RuleProperty]:
        rules: list[waf.CfnWebACL.RuleProperty] = []
        for version, ranges in (("IPV4", config.ipv4_ranges()), ("IPV6", config.ipv6_ranges())):
            if not ranges:
                continue
            ip_set = waf.CfnIPSet(
                self,
                f"Allowed{version}",
                scope=self._scope,
                ip_address_version=version,
                addresses=ranges,
                description="Address ranges allowed to reach DATAHUB",
            )
            rules.append(
                waf.CfnWebACL.RuleProperty(
                    name=f"allowed-{version.lower()}-ranges",
                    priority=first_priority + len(rules),
                    action=waf.CfnWebACL.RuleActionProperty(allow={}),
                    statement=waf.CfnWebACL.StatementProperty(
                        ip_set_reference_statement=waf.CfnWebACL.IPSetReferenceStatementProperty(
                            arn=ip_set.attr_arn
                        )
                    ),
                    visibility_config=self._visibility(f"{self._name}-allowed-{version.lower()}"),
                )
            )
        return rules
