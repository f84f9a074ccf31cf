"""The panels of the case page: the registry (`registry`), case handling's own panels
(`builders`) and the phase panel at the top (`phase`)."""

from .registry import BuiltPanel, CasePanel, PanelInput, build_panels, register, registered

__all__ = ["BuiltPanel", "CasePanel", "PanelInput", "build_panels", "register", "registered"]
