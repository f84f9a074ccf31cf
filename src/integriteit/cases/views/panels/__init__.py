"""The panels of the case page: the registry (`registry`: panels, their sections), case
handling's own panels (`builders`) and the phase panel at the top (`phase`)."""

from .registry import (
    SECTIONS,
    BuiltPanel,
    CasePanel,
    PanelInput,
    build_panels,
    register,
    registered,
    section_of,
    section_url,
    sections,
)

__all__ = [
    "SECTIONS",
    "BuiltPanel",
    "CasePanel",
    "PanelInput",
    "build_panels",
    "register",
    "registered",
    "section_of",
    "section_url",
    "sections",
]
