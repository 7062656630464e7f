"""The pages' form fields are capped like the API's request bodies (the pages are left out of
the OpenAPI document, so ``tests/api/test_request_caps.py`` cannot see them)."""

from __future__ import annotations

import typing
from collections.abc import Iterator

from annotated_types import Le, MaxLen
from fastapi import UploadFile
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from townsquare.web import ROUTERS


def _body_fields(dependant: Dependant) -> Iterator[tuple[str, object, list[object]]]:
    for field in dependant.body_params:
        yield field.name, field.field_info.annotation, list(field.field_info.metadata)
    for dependency in dependant.dependencies:
        yield from _body_fields(dependency)


def _bounded(annotation: object, metadata: list[object]) -> bool:
    if any(isinstance(item, MaxLen) for item in metadata):
        return True
    if annotation is int and any(isinstance(item, Le) for item in metadata):
        return True
    kinds = typing.get_args(annotation) or (annotation,)
    return (
        all(
            kind in (bool, UploadFile, type(None)) or typing.get_origin(kind) is typing.Literal
            for kind in kinds
        )
        or typing.get_origin(annotation) is typing.Literal
    )


def test_every_form_field_of_every_page_is_capped() -> None:
    uncapped = [
        f"{route.path}: {name}"
        for module in ROUTERS
        for route in module.router.routes
        if isinstance(route, APIRoute)
        for name, annotation, metadata in _body_fields(route.dependant)
        if not _bounded(annotation, metadata)
    ]
    assert uncapped == []
