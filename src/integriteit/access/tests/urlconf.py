"""The URL patterns of the installation, read from the URLconf (for the generated tests)."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name", stable across runs (the parametrize id)
    route: str  # the route as written, with its converters
    parameters: tuple[str, ...]


def _walk(resolver: URLResolver, namespace: str, route: str):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            yield from _walk(entry, inner, route + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            full = route + str(entry.pattern)
            yield Pattern(name, full, tuple(entry.pattern.regex.groupindex))


def patterns() -> list[Pattern]:
    """Every named pattern, once, in the URLconf's order."""
    seen: dict[str, Pattern] = {}
    for pattern in _walk(get_resolver(), "", ""):
        seen.setdefault(pattern.name, pattern)
    return list(seen.values())
