"""Documents built from the records: the one place that says what a stack, dataset or template
looks like to search. An entity that no longer exists (or a stack no longer live) has none."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any
from uuid import UUID

from tortoise.models import Model
from tortoise.queryset import QuerySet

from cdk_service.datasets.schemas import OPEN_CLASSIFICATIONS
from cdk_service.db.models import (
    Dataset,
    Stack,
    StackStatus,
    Template,
    VersionStatus,
)
from cdk_service.search.documents import DocumentKind, SearchDocument

GONE = (StackStatus.DESTROYED, StackStatus.CANCELLED)
CHUNK = 1000


def _named_values(value: Any, name: str = "") -> Iterable[tuple[str, str]]:
    """(name, text) of the scalars in a JSON value (parameters and outputs are searched); a
    nested value is named by its path (``tags.owner``), a list's items by the list's name."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _named_values(item, f"{name}.{key}" if name else str(key))
    elif isinstance(value, list):
        for item in value:
            yield from _named_values(item, name)
    elif value is not None and not isinstance(value, bool):
        yield name, str(value)


def stack_document(stack: Stack) -> SearchDocument:
    """A live stack (template version and template loaded)."""
    version = stack.template_version
    fields = [*_named_values(stack.params), *_named_values(stack.outputs)]
    return SearchDocument(
        kind=DocumentKind.STACK,
        id=str(stack.id),
        title=stack.name,
        description=f"{version.title}: {version.description}",
        body=" ".join(text for _, text in fields),
        fields=fields,
        team=stack.team,
        template=version.template.name,
        status=stack.status.value,
        region=stack.region,
        account=stack.account,
        updated_at=stack.updated_at,
        attributes={"version": version.version, "drift_status": stack.drift_status.value},
    )


def dataset_document(dataset: Dataset) -> SearchDocument:
    """A dataset (its stack, if any, loaded with template version and template)."""
    stack = dataset.stack
    columns = [f"{c.get('name', '')} {c.get('description', '')}" for c in dataset.columns]
    place = [dataset.location, dataset.glue_database, dataset.glue_table, dataset.format]
    return SearchDocument(
        kind=DocumentKind.DATASET,
        id=str(dataset.id),
        title=dataset.name,
        description=dataset.description,
        body=" ".join([*columns, *dataset.topics, *(p for p in place if p)]),
        team=dataset.team,
        template=None if stack is None else stack.template_version.template.name,
        status=None if stack is None else stack.status.value,
        tags=list(dataset.tags),
        classification=dataset.classification.value,
        region=None if stack is None else stack.region,
        account=None if stack is None else stack.account,
        visible_to_all=dataset.classification in OPEN_CLASSIFICATIONS,
        updated_at=dataset.updated_at,
        attributes={"format": dataset.format, "topics": dataset.topics, "columns": len(columns)},
    )


def template_document(template: Template) -> SearchDocument:
    """A template (versions loaded); everyone sees it once a version is published."""
    versions = sorted(template.versions, key=lambda v: v.created_at)
    published = [v.version for v in versions if v.status is VersionStatus.PUBLISHED]
    newest = versions[-1] if versions else None
    status = "published" if published else (newest.status.value if newest else "draft")
    outputs = {name for v in versions for name in v.outputs}
    return SearchDocument(
        kind=DocumentKind.TEMPLATE,
        id=str(template.id),
        title=template.title,
        description=template.description,
        body=" ".join([template.name, *sorted(outputs)]),
        template=template.name,
        status=status,
        visible_to_all=bool(published),
        updated_at=max([template.created_at, *(v.updated_at for v in versions)]),
        attributes={"name": template.name, "published_versions": published},
    )


def _stacks() -> QuerySet[Stack]:
    return Stack.exclude(status__in=GONE).prefetch_related("template_version__template")


def _datasets() -> QuerySet[Dataset]:
    return Dataset.all().prefetch_related("stack__template_version__template")


def _templates() -> QuerySet[Template]:
    return Template.all().prefetch_related("versions")


async def documents_of(kind: DocumentKind, ids: Iterable[str]) -> dict[str, SearchDocument]:
    """The documents of these entities that exist, by entity id."""
    wanted = list(ids)
    if kind is DocumentKind.STACK:
        stacks = await _stacks().filter(id__in=[UUID(i) for i in wanted])
        return {str(s.id): stack_document(s) for s in stacks}
    if kind is DocumentKind.DATASET:
        datasets = await _datasets().filter(id__in=[UUID(i) for i in wanted])
        return {str(d.id): dataset_document(d) for d in datasets}
    templates = await _templates().filter(id__in=[int(i) for i in wanted])
    return {str(t.id): template_document(t) for t in templates}


async def datasets_in_stacks(stack_ids: Iterable[str]) -> list[tuple[str, str]]:
    """(dataset id, stack id) of the datasets that live in these stacks."""
    wanted = [UUID(i) for i in stack_ids]
    if not wanted:
        return []
    rows = await Dataset.filter(stack_id__in=wanted).values_list("id", "stack_id")
    return [(str(dataset), str(stack)) for dataset, stack in rows]


async def _chunks(query: QuerySet[Any]) -> AsyncIterator[list[Model]]:
    last: Any = None
    while True:
        page = query if last is None else query.filter(id__gt=last)
        rows = await page.order_by("id").limit(CHUNK)
        if not rows:
            return
        yield rows
        last = rows[-1].pk


async def every_document() -> AsyncIterator[SearchDocument]:
    """Every document the records describe (what a full reindex writes)."""
    async for stacks in _chunks(_stacks()):
        for stack in stacks:
            yield stack_document(stack)  # type: ignore[arg-type]
    async for datasets in _chunks(_datasets()):
        for dataset in datasets:
            yield dataset_document(dataset)  # type: ignore[arg-type]
    async for templates in _chunks(_templates()):
        for template in templates:
            yield template_document(template)  # type: ignore[arg-type]
