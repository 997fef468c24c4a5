"""Request bodies decoded as JSON (RFC 8259), nothing more.

Python's ``json.loads`` accepts ``NaN``, ``Infinity`` and ``-Infinity``, reads ``1e400`` as
infinity, decodes undecodable UTF-8 such as ``ED A0 80`` (an encoded surrogate) and lets
``"\\ud800"`` through as a lone surrogate: none of these is JSON, and each later fails far
from the request (an error answer that cannot be rendered, text that cannot be stored).
``loads`` refuses them with a ``json.JSONDecodeError`` that says what is wrong, which FastAPI
answers with 422 before any endpoint runs.

Every route of the service is a ``StrictJSONRoute`` (``create_app`` makes its routers so, and
a test checks that no route is left out), so this is the decoder of every JSON body.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

# After strict UTF-8 decoding a surrogate can only come from a \uD800-\uDFFF escape.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _Refused(ValueError):
    def __init__(self, message: str, token: str | None = None) -> None:
        super().__init__(message)
        self.token = token


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not valid JSON: JSON numbers are finite", name)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text[:40]} is too large: not a finite number", text)
    return value


def loads(body: bytes | str) -> Any:
    """The JSON value of ``body``; ``json.JSONDecodeError`` (a ``ValueError``) if it is not
    strict JSON in UTF-8 (UTF-16 and UTF-32 with their byte order are read as RFC 8259
    allows)."""
    if isinstance(body, bytes | bytearray):
        try:
            text = bytes(body).decode(json.detect_encoding(body))
        except UnicodeDecodeError as exc:
            shown = bytes(body).decode("utf-8", "replace")
            raise json.JSONDecodeError(
                f"the body is not valid UTF-8 text (byte {exc.object[exc.start]:#04x} at "
                f"offset {exc.start})", shown, min(exc.start, len(shown))) from exc
    else:
        text = body
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_float)
    except json.JSONDecodeError:
        raise
    except _Refused as exc:
        raise json.JSONDecodeError(str(exc), text, _position(text, exc.token)) from exc
    except RecursionError as exc:
        raise json.JSONDecodeError("the body is nested too deeply", text, 0) from exc
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise json.JSONDecodeError(f"a number cannot be read: {exc}", text, 0) from exc
    if _SURROGATE_ESCAPE.search(text):
        where = _lone_surrogate(value)
        if where is not None:
            path, char = where
            if len(path) > 120:
                path = path[:117] + "..."
            raise json.JSONDecodeError(
                f"{path or 'the body'} holds a lone surrogate (\\u{ord(char):04x}): not valid "
                "Unicode text", text, _position(text, f"\\u{ord(char):04x}"))
    return value


def _position(text: str, token: str | None) -> int:
    if not token:
        return 0
    found = text.lower().find(token.lower())
    return max(found, 0)


def _lone_surrogate(value: Any) -> tuple[str, str] | None:
    """(where, the surrogate) of the first string or key holding a lone surrogate."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            bad = _first_surrogate(item)
            if bad is not None:
                return path, bad
        elif isinstance(item, dict):
            for key, inner in item.items():
                bad = _first_surrogate(key)
                if bad is not None:
                    return (f"{path}: a key" if path else "a key"), bad
                stack.append((inner, f"{path}.{key}" if path else key))
        elif isinstance(item, list):
            stack.extend((inner, f"{path}[{i}]") for i, inner in enumerate(item))
    return None


def _first_surrogate(text: str) -> str | None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return text[exc.start]
    return None


class StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads(await self.body())
        return self._json


class StrictJSONRoute(APIRoute):
    """An API route whose JSON body is decoded by ``loads``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict_handler


__all__ = ["StrictJSONRoute", "loads"]
