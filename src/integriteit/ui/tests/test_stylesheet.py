"""The pages load only the NL Design System CSS they use (issue 10: Lighthouse performance), and
never lose a rule they need."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from integriteit.ui import stylesheet

TOKENS = """/**
 * @license EUPL-1.2
 * Copyright (c) 2024 Example
 */
.rhc-theme{--rhc-blue:#154273;--rhc-grey:#ccc;--rhc-unused:red;--rhc-primary:var(--rhc-blue)}
"""
COMPONENTS = """@charset "UTF-8";
.utrecht-button{color:var(--utrecht-button-color, var(--rhc-primary))}
.utrecht-calendar{color:red}
.utrecht-button:not(.utrecht-button--busy):hover{color:blue}
.utrecht-button.utrecht-button--busy{color:grey}
.utrecht-alert--error,.utrecht-alert--fancy{border:1px solid}
@media (min-width: 40em){.utrecht-button{padding:1em}.utrecht-calendar{padding:1em}}
@media print{.utrecht-calendar{display:none}}
@keyframes utrecht-spin{to{transform:rotate(1turn)}}
.int-step--busy,.int-step--done,.int-other{margin:0}
html{font-size:100%}
.utrecht-button{color:var(--rhc-primary);margin:0}
.utrecht-button.utrecht-button--wide, .utrecht-button{border:0}
"""


def _tree(tmp_path: Path, template: str, python: str = "") -> Path:
    for bundle, css in zip(stylesheet.BUNDLES, (TOKENS, COMPONENTS, ""), strict=True):
        (tmp_path / bundle).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / bundle).write_text(css)
    site = tmp_path / stylesheet.SITE_CSS
    site.parent.mkdir(parents=True, exist_ok=True)
    site.write_text("body{border-color:var(--rhc-grey)}")
    templates = tmp_path / "src/integriteit/app/templates/app"
    templates.mkdir(parents=True)
    (templates / "page.html").write_text(template)
    (tmp_path / "src/integriteit/app/forms.py").write_text(python)
    tests = tmp_path / "src/integriteit/app/tests"
    tests.mkdir()
    (tests / "test_page.py").write_text('SELECTOR = ".utrecht-calendar"')
    return tmp_path


TEMPLATE = """<html class="rhc-theme"><button class="utrecht-button">Go</button>
<div class="utrecht-alert--{% if level == 'error' %}error{% else %}info{% endif %}"></div>
<ol class="int-step--{{ state }}"></ol></html>"""


def test_keeps_what_the_templates_use_and_drops_the_rest(tmp_path):
    css = stylesheet.build(_tree(tmp_path, TEMPLATE))
    assert ".utrecht-button{" in css
    assert "@media (min-width: 40em){.utrecht-button{padding:1em}}" in css
    # A class in :not() does not have to be in a template; one outside it does.
    assert ".utrecht-button:not(.utrecht-button--busy):hover{" in css
    assert "utrecht-button.utrecht-button--busy" not in css
    # Only the tests name the calendar: its rules and the @media print around one go.
    assert "calendar" not in css
    assert "print" not in css
    assert "html{font-size:100%}" in css
    assert "@keyframes utrecht-spin" in css
    assert "@charset" not in css
    assert "Copyright (c) 2024 Example" in css


def test_keeps_classes_that_a_template_builds_from_pieces(tmp_path):
    css = stylesheet.build(_tree(tmp_path, TEMPLATE))
    # utrecht-alert--{% if %}error: a word of the sources after the prefix, not any word.
    assert ".utrecht-alert--error{" in css
    assert "fancy" not in css
    # int-step--{{ state }}: any value.
    assert ".int-step--busy,.int-step--done{" in css
    assert "int-other" not in css


def test_keeps_classes_that_python_code_gives_widgets(tmp_path):
    css = stylesheet.build(
        _tree(tmp_path, "<p></p>", 'ATTRS = {"class": "utrecht-calendar rhc-theme"}')
    )
    assert ".utrecht-calendar{color:red}" in css


def test_keeps_the_custom_properties_that_are_read(tmp_path):
    css = stylesheet.build(_tree(tmp_path, TEMPLATE))
    # Read by the button through --rhc-primary, and by site.css.
    assert "--rhc-primary:var(--rhc-blue)" in css
    assert "--rhc-blue:#154273" in css
    assert "--rhc-grey:#ccc" in css
    assert "--rhc-unused" not in css


def test_drops_what_a_later_copy_of_the_rule_sets_again(tmp_path):
    """The Rijkshuisstijl components repeat the Utrecht rules: the first copy never wins."""
    css = stylesheet.build(_tree(tmp_path, TEMPLATE))
    assert ".utrecht-button{color:var(--rhc-primary);margin:0}" in css
    assert "--utrecht-button-color" not in css  # only the first copy read it
    # Another @media, or other selectors, is another rule.
    assert "@media (min-width: 40em){.utrecht-button{padding:1em}}" in css
    assert ".utrecht-button{border:0}" in css


def test_refuses_a_class_built_from_a_bare_namespace(tmp_path):
    with pytest.raises(stylesheet.UnboundedClass, match=r"page\.html"):
        stylesheet.build(_tree(tmp_path, '<p class="utrecht-{{ kind }}"></p>'))


def test_the_built_stylesheet_is_up_to_date():
    """`make install` builds it; a template with a new NL Design System class needs a rebuild."""
    path = Path(settings.BASE_DIR) / stylesheet.OUTPUT
    assert path.exists(), f"{path} is missing: run `make install` or `manage.py build_css`."
    call_command("build_css", check=True)


def test_the_built_stylesheet_is_a_fraction_of_the_bundles():
    base_dir = Path(settings.BASE_DIR)
    bundles = sum((base_dir / bundle).stat().st_size for bundle in stylesheet.BUNDLES)
    assert (base_dir / stylesheet.OUTPUT).stat().st_size < bundles / 4
