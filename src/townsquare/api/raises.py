"""Which errors of ``townsquare.errors`` an operation may raise, read from the code itself.

The OpenAPI document lists each operation's error answers from here: the ``raise`` statements
of its handler and its dependencies and, transitively, of every Townsquare function they call
by name (``accounts.visible_account(...)``, ``business_account(me)``, a name imported inside a
function). A call through an object (``worker.enqueue(...)``) is not followed, so what such a
call raises must also be raised, or documented, by a function that is.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import types
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from fastapi.dependencies.models import Dependant

from townsquare.errors import TownsquareError

ErrorClass = type[TownsquareError]


def _ours(value: object) -> bool:
    return getattr(value, "__module__", "").startswith("townsquare.")


def _resolve(node: ast.expr, names: dict[str, Any]) -> object:
    """The object an expression such as ``name`` or ``module.attr.attr`` names, or None."""
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, names)
        if isinstance(base, types.ModuleType | type):
            return getattr(base, node.attr, None)
    return None


def _local_imports(tree: ast.AST) -> dict[str, Any]:
    """The names a function imports in its own body (``from townsquare.x import y``)."""
    names: dict[str, Any] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("townsquare"):
            module = importlib.import_module(str(node.module))
            for alias in node.names:
                names[alias.asname or alias.name] = getattr(module, alias.name, None)
    return names


def _callables(target: object) -> Iterator[Callable[..., Any]]:
    """The Townsquare functions a call of ``target`` runs: itself, or a class's constructor."""
    if isinstance(target, types.MethodType):
        target = target.__func__
    if isinstance(target, types.FunctionType) and _ours(target):
        yield target
    elif isinstance(target, type) and _ours(target) and not issubclass(target, BaseException):
        for name in ("__init__", "__post_init__"):
            method = target.__dict__.get(name)
            if isinstance(method, types.FunctionType):
                yield method


FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@cache
def _functions_in(filename: str) -> dict[int, FunctionNode]:
    """The functions of one source file by the line their code starts on (the first decorator's,
    or the ``def``)."""
    try:
        with open(filename, encoding="utf-8") as source:
            tree = ast.parse(source.read(), filename)
    except OSError:  # generated code (a dataclass's or a mapped class's __init__)
        return {}
    found: dict[int, FunctionNode] = {}
    for node in ast.walk(tree):
        if isinstance(node, FunctionNode):
            found[min([node.lineno, *(d.lineno for d in node.decorator_list)])] = node
    return found


Direct = tuple[frozenset[ErrorClass], tuple[Callable[..., Any], ...]]


@cache
def _direct(function: Callable[..., Any]) -> Direct:
    """What ``function``'s own body raises, and the Townsquare functions it calls by name."""
    code = getattr(function, "__code__", None)
    tree = _functions_in(code.co_filename).get(code.co_firstlineno) if code else None
    if tree is None:
        return frozenset(), ()
    names = {**getattr(function, "__globals__", {}), **_local_imports(tree)}
    closure = inspect.getclosurevars(function).nonlocals if inspect.isfunction(function) else {}
    names.update(closure)
    raised: set[ErrorClass] = set()
    called: list[Callable[..., Any]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            error = _resolve(exc, names)
            if isinstance(error, type) and issubclass(error, TownsquareError):
                raised.add(error)
        elif isinstance(node, ast.Call):
            called.extend(_callables(_resolve(node.func, names)))
    return frozenset(raised), tuple(called)


def errors_raised(*functions: Callable[..., Any]) -> frozenset[ErrorClass]:
    """Every Townsquare error that calling any of ``functions`` may raise."""
    seen: set[Callable[..., Any]] = set()
    pending = [inspect.unwrap(f) for f in functions]
    raised: set[ErrorClass] = set()
    while pending:
        function = pending.pop()
        if function in seen:
            continue
        seen.add(function)
        errors, called = _direct(function)
        raised |= errors
        pending.extend(inspect.unwrap(f) for f in called)
    return frozenset(raised)


def dependency_calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    """The handler and every dependency FastAPI calls for one request."""
    if dependant.call is not None:
        yield dependant.call
    for dependency in dependant.dependencies:
        yield from dependency_calls(dependency)
