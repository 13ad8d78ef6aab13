"""Drift: whether a stack's resources still match its template."""

from __future__ import annotations

from typing import Any

from cdk_service.cloudformation.models import DriftReport, PropertyDrift, ResourceDrift
from service_contract.aws_errors import aws_call, aws_pages
from service_contract.errors import UpstreamFailure

DRIFTED_STATUSES = ["MODIFIED", "DELETED"]
UNSUPPORTED_CODES = frozenset(
    {"NotImplemented", "InvalidAction", "UnsupportedOperation", "UnknownOperationException"}
)


class DriftUnsupported(UpstreamFailure):
    """The CloudFormation endpoint cannot detect drift (an emulator, not AWS)."""

    code = "drift_unsupported"


def start_detection(cloudformation: Any, stack: str) -> str:
    """Start drift detection on the stack; the detection id to read the result with."""
    try:
        response = aws_call(cloudformation, "detect_stack_drift", StackName=stack)
    except UpstreamFailure as error:
        if not _unsupported(error):
            raise
        raise DriftUnsupported(
            f"the CloudFormation endpoint cannot detect drift: {error.message}",
            details=error.details,
        ) from error
    return str(response["StackDriftDetectionId"])


def detection_result(cloudformation: Any, stack: str, detection_id: str) -> DriftReport | None:
    """The drift report, or None while detection is still running."""
    status = aws_call(
        cloudformation, "describe_stack_drift_detection_status", StackDriftDetectionId=detection_id
    )
    if status["DetectionStatus"] == "DETECTION_IN_PROGRESS":
        return None
    return DriftReport(
        stack_name=stack,
        detection_id=detection_id,
        stack_drift_status=status.get("StackDriftStatus", "UNKNOWN"),
        drifted=_drifted_resources(cloudformation, stack),
        reason=status.get("DetectionStatusReason"),
    )


def _drifted_resources(cloudformation: Any, stack: str) -> list[ResourceDrift]:
    drifts = aws_pages(
        cloudformation,
        "describe_stack_resource_drifts",
        "StackResourceDrifts",
        StackName=stack,
        StackResourceDriftStatusFilters=DRIFTED_STATUSES,
    )
    return [_resource_drift(drift) for drift in drifts]


def _resource_drift(drift: dict[str, Any]) -> ResourceDrift:
    return ResourceDrift(
        logical_id=drift["LogicalResourceId"],
        resource_type=drift.get("ResourceType", ""),
        physical_id=drift.get("PhysicalResourceId"),
        drift_status=drift["StackResourceDriftStatus"],
        differences=[
            PropertyDrift(
                path=difference["PropertyPath"],
                expected=difference.get("ExpectedValue"),
                actual=difference.get("ActualValue"),
                difference=difference.get("DifferenceType", ""),
            )
            for difference in drift.get("PropertyDifferences") or []
        ],
    )


def _unsupported(error: UpstreamFailure) -> bool:
    """moto answers unimplemented actions with an HTML 500 page, AWS-likes with these codes."""
    return (
        error.code == "aws_bad_response"
        or (error.details or {}).get("aws_code") in UNSUPPORTED_CODES
    )
