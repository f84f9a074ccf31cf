"""The NL Design System stylesheet the pages use, and no more (issue 10: Lighthouse performance).

The full bundles (Rijkshuisstijl tokens, Utrecht components, Rijkshuisstijl components) are about
850 kB of CSS that every page would load before it shows anything. `manage.py build_css` writes
ui/static/ui/nlds.css (gitignored; `make install` and the deployment run it) with only:

- the rules with a selector whose classes all appear in our templates or Python code (a class
  inside :is(), :not(), :where() or :has() never removes a selector: keeping too much is safe);
- the custom properties that a kept rule, ui/site.css or a template reads, directly or through
  another custom property.

A class that a template builds from pieces is found too: `utrecht-alert--{% if … %}error` keeps
utrecht-alert-- followed by any word of our sources, `int-step--{{ state }}` keeps every class
starting with int-step--. A bare namespace before a variable (`utrecht-{{ x }}`) would keep almost
everything and is refused: write the class names out.

Element, attribute and id selectors are kept as they are; @media, @supports and @container are
pruned inside; @keyframes and the licence comments are kept whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import tinycss2
from tinycss2 import ast

# In the order base.html loaded them: tokens first, then components (later ones win).
BUNDLES = (
    "node_modules/@rijkshuisstijl-community/design-tokens/dist/index.css",
    "node_modules/@utrecht/component-library-css/dist/index.css",
    "node_modules/@rijkshuisstijl-community/components-css/dist/index.css",
)
OUTPUT = "src/integriteit/ui/static/ui/nlds.css"
SITE_CSS = "src/integriteit/ui/static/ui/site.css"
NAMESPACES = ("utrecht-", "rhc-", "nl-", "int-")
PRUNED_AT_RULES = {"media", "supports", "container", "layer"}

WORD = re.compile(r"[A-Za-z0-9_-]+")
# A class name that runs into template or f-string syntax: its end is decided at run time.
PIECE = re.compile(r"([A-Za-z0-9_-]+)(\{%|\{\{|\{)")


class UnboundedClass(ValueError):
    """A source builds class names from a bare namespace and a value (`utrecht-{{ x }}`)."""


@dataclass
class UsedNames:
    """What our sources may put in a class attribute."""

    words: set[str] = field(default_factory=set)
    # A prefix followed by a word of the sources (`utrecht-alert--{% if %}error`).
    word_prefixes: set[str] = field(default_factory=set)
    # A prefix followed by any value (`int-step--{{ state }}`).
    open_prefixes: set[str] = field(default_factory=set)

    def add_source(self, text: str, origin: str = "") -> None:
        self.words.update(WORD.findall(text))
        for match in PIECE.finditer(text):
            prefix, opener = match.groups()
            if not prefix.startswith(NAMESPACES):
                continue
            if opener == "{%":
                self.word_prefixes.add(prefix)
                continue
            if prefix in NAMESPACES:
                raise UnboundedClass(f"{origin}: write out the class names, not {prefix}{opener}…")
            self.open_prefixes.add(prefix)

    def has_class(self, name: str) -> bool:
        if name in self.words or name.startswith(tuple(self.open_prefixes)):
            return True
        return any(
            name.startswith(prefix) and name[len(prefix) :] in self.words
            for prefix in self.word_prefixes
        )


def sources(base_dir: Path) -> list[Path]:
    """Templates and the Python code that renders classes (forms' widget attrs); not tests."""
    root = base_dir / "src" / "integriteit"
    found = []
    for path in sorted(root.rglob("*")):
        parts = set(path.relative_to(root).parts)
        if (
            "tests" in parts
            or "migrations" in parts
            or path.name in ("browser_testing.py", "stylesheet.py")
        ):
            continue
        if path.suffix == ".py" or (path.suffix == ".html" and "templates" in parts):
            found.append(path)
    return found


def used_names(base_dir: Path) -> UsedNames:
    used = UsedNames()
    for path in sources(base_dir):
        used.add_source(path.read_text(encoding="utf-8"), str(path.relative_to(base_dir)))
    return used


def _split_selectors(prelude: list) -> list[list]:
    selectors: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _classes(selector: list) -> list[str]:
    """The classes at the top level of a selector (not those inside :is(), :not() …)."""
    names = []
    for before, token in zip([None, *selector], selector, strict=False):
        if (
            token.type == "ident"
            and before is not None
            and before.type == "literal"
            and before.value == "."
        ):
            names.append(token.value)
    return names


def _var_names(tokens) -> set[str]:
    names: set[str] = set()
    for token in tokens or ():
        if token.type == "function":
            if token.lower_name == "var":
                for argument in token.arguments:
                    if argument.type == "ident":
                        names.add(argument.value)
                        break
            names |= _var_names(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            names |= _var_names(token.content)
    return names


@dataclass
class _Rule:
    selectors: str
    declarations: list[ast.Declaration]


def _kept(nodes, used: UsedNames, licences: list[str]) -> list:
    """The rules (as _Rule, or (at-rule prelude, children), or kept text) the pages can use."""
    out: list = []
    for node in nodes:
        if node.type == "comment":
            if "@license" in node.value and node.value not in licences:
                licences.append(node.value)
        elif node.type == "qualified-rule":
            selectors = [
                tinycss2.serialize(selector).strip()
                for selector in _split_selectors(node.prelude)
                if all(used.has_class(name) for name in _classes(selector))
            ]
            if selectors:
                contents = tinycss2.parse_blocks_contents(
                    node.content, skip_comments=True, skip_whitespace=True
                )
                declarations = [d for d in contents if d.type == "declaration"]
                if len(declarations) != len(contents):
                    raise ValueError(f"nested rules are not supported: {node.serialize()[:80]}")
                out.append(_Rule(",".join(selectors), declarations))
        elif node.type == "at-rule":
            if node.lower_at_keyword == "charset":
                continue
            if node.lower_at_keyword in PRUNED_AT_RULES and node.content is not None:
                children = _kept(
                    tinycss2.parse_rule_list(node.content, skip_whitespace=True),
                    used,
                    licences,
                )
                if children:
                    prelude = tinycss2.serialize(node.prelude).strip()
                    out.append((f"@{node.at_keyword} {prelude}", children))
            else:
                out.append(node.serialize())
        elif node.type == "error":
            raise ValueError(f"cannot parse the stylesheet: {node.message}")
    return out


def _walk_rules(items):
    for item in items:
        if isinstance(item, _Rule):
            yield item
        elif isinstance(item, tuple):
            yield from _walk_rules(item[1])


def _in_context(items, context: tuple = ()):
    for item in items:
        if isinstance(item, _Rule):
            yield context, item
        elif isinstance(item, tuple):
            yield from _in_context(item[1], (*context, re.sub(r"\s+", "", item[0])))


def _same_selectors(selectors: str) -> str:
    return re.sub(r"\s*([>+~,()])\s*", r"\1", re.sub(r"\s+", " ", selectors)).strip()


def _drop_shadowed(items) -> None:
    """Drop a declaration that a later rule with the same selectors, in the same @media, sets
    again: it never wins. The Rijkshuisstijl components repeat most Utrecht rules."""
    later: dict[tuple, set[tuple[str, bool]]] = {}
    for context, rule in reversed(list(_in_context(items))):
        seen = later.setdefault((context, _same_selectors(rule.selectors)), set())
        named = [
            (d, d.name if d.name.startswith("--") else d.lower_name) for d in rule.declarations
        ]
        rule.declarations = [
            d
            for d, name in named
            if (name, True) not in seen and (d.important or (name, False) not in seen)
        ]
        seen.update((name, d.important) for d, name in named)


def _needed_properties(items, extra_css: str) -> set[str]:
    """Custom properties read by a kept declaration or the extra CSS, with what those read."""
    definitions: dict[str, set[str]] = {}
    needed: set[str] = set()
    for rule in _walk_rules(items):
        for declaration in rule.declarations:
            names = _var_names(declaration.value)
            if declaration.name.startswith("--"):
                definitions.setdefault(declaration.name, set()).update(names)
            else:
                needed |= names
    for item in items:
        if isinstance(item, str):  # @keyframes and the like
            needed |= _var_names(tinycss2.parse_component_value_list(item))
    needed |= _var_names(tinycss2.parse_component_value_list(extra_css))
    queue = list(needed)
    while queue:
        for name in definitions.get(queue.pop(), ()):
            if name not in needed:
                needed.add(name)
                queue.append(name)
    return needed


def _render(items, needed: set[str]) -> list[str]:
    lines = []
    for item in items:
        if isinstance(item, str):
            lines.append(item)
        elif isinstance(item, tuple):
            inner = _render(item[1], needed)
            if inner:
                lines.append(item[0] + "{" + "".join(inner) + "}")
        else:
            declarations = [
                d.serialize().strip()
                for d in item.declarations
                if not d.name.startswith("--") or d.name in needed
            ]
            if declarations:
                lines.append(item.selectors + "{" + ";".join(declarations) + "}")
    return lines


def build(base_dir: Path, used: UsedNames | None = None) -> str:
    """The pruned stylesheet for the sources under base_dir."""
    used = used or used_names(base_dir)
    licences: list[str] = []
    items: list = []
    for bundle in BUNDLES:
        css = (base_dir / bundle).read_text(encoding="utf-8")
        items += _kept(
            tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=True),
            used,
            licences,
        )
    _drop_shadowed(items)
    # site.css and any style attribute of a template read custom properties too.
    extra = (base_dir / SITE_CSS).read_text(encoding="utf-8") + "".join(
        path.read_text(encoding="utf-8") for path in sources(base_dir) if path.suffix == ".html"
    )
    needed = _needed_properties(items, extra)
    header = [
        "/* Generated by `manage.py build_css` (integriteit/ui/stylesheet.py) from the NL Design",
        " * System packages in package.json: only what our templates use. Do not edit. */",
        *(f"/*{licence}*/" for licence in licences),
    ]
    return "\n".join(header) + "\n" + "\n".join(_render(items, needed)) + "\n"
