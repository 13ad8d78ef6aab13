"""The template catalog: the template contract, the registry and the built-in templates."""

from stack_catalog.contract import DeployContext, Template, TemplateParams

__all__ = ["DeployContext", "Template", "TemplateParams"]
