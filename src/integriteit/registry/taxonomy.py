"""The versioned lists (REGISTRY.md "The category list changes over time"): which version holds
for a year, an item by code, and whether figures across two versions may be compared."""

import contextlib
import contextvars

from django.utils import timezone

from .constants import TaxonomyKind
from .models import Category, Taxonomy


class UnknownCode(LookupError):
    def __init__(self, kind: str, codes: list[str], taxonomy: Taxonomy):
        super().__init__(f"{kind}: {', '.join(codes)} not in {taxonomy.version}")
        self.kind, self.codes, self.taxonomy = kind, codes, taxonomy


# Inside `cached()` (an import checking thousands of rows) the lists are read once, not per row.
_cache: contextvars.ContextVar[dict | None] = contextvars.ContextVar("taxonomy", default=None)


@contextlib.contextmanager
def cached():
    """Read each list and its items once while inside (the lists do not change meanwhile)."""
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def _versions(kind: str) -> list[Taxonomy]:
    cache = _cache.get()
    if cache is None:
        return list(Taxonomy.objects.filter(kind=kind).order_by("valid_from"))
    if ("versions", kind) not in cache:
        cache["versions", kind] = list(Taxonomy.objects.filter(kind=kind).order_by("valid_from"))
    return cache["versions", kind]


def items_of(taxonomy: Taxonomy) -> list[Category]:
    """Every item of `taxonomy`, in the list's order."""
    cache = _cache.get()
    if cache is None:
        return list(taxonomy.categories.all())
    if ("items", taxonomy.pk) not in cache:
        cache["items", taxonomy.pk] = list(taxonomy.categories.all())
    return cache["items", taxonomy.pk]


def _pick(versions: list[Taxonomy], year: int) -> Taxonomy:
    return next((v for v in versions if v.covers(year)), None) or (
        versions[0] if year < versions[0].valid_from else versions[-1]
    )


def version_for(kind: str, year: int | None = None) -> Taxonomy:
    """The version of `kind` valid in `year` (this year when None); the oldest version for a
    year before every version, so old registers can still be read."""
    return _pick(_versions(kind), year or timezone.localdate().year)


def versions_for(kinds: list[str], year: int) -> dict[str, Taxonomy]:
    """`version_for` of several lists in one query."""
    found: dict[str, list[Taxonomy]] = {kind: [] for kind in kinds}
    for version in Taxonomy.objects.filter(kind__in=kinds).order_by("valid_from"):
        found[version.kind].append(version)
    return {kind: _pick(versions, year) for kind, versions in found.items()}


def categories(taxonomy: Taxonomy, codes) -> list[Category]:
    """The items of `taxonomy` with these codes, in the list's order; UnknownCode names any
    code the version does not have."""
    codes = set(codes)
    if _cache.get() is not None:
        found = [c for c in items_of(taxonomy) if c.code in codes]
    else:
        found = list(taxonomy.categories.filter(code__in=codes))
    if missing := sorted(codes - {c.code for c in found}):
        raise UnknownCode(taxonomy.kind, missing, taxonomy)
    return found


def comparable_items(new_version: Taxonomy) -> set[str]:
    """The codes of `new_version` whose counts compare with the version before it."""
    result = set()
    for item in new_version.categories.prefetch_related("predecessors__successors"):
        sources = list(item.predecessors.all())
        if sources and all([s.pk for s in src.successors.all()] == [item.pk] for src in sources):
            result.add(item.code)
    return result


VIOLATION_TYPE = TaxonomyKind.VIOLATION_TYPE
MEASURE = TaxonomyKind.MEASURE
CHANNEL = TaxonomyKind.CHANNEL
EXECUTOR = TaxonomyKind.EXECUTOR
