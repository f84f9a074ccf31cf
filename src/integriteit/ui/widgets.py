"""NL Design System classes on Django's standard widgets (issue 10 "Visual finish": the text
inputs had no class, so they showed as bare browser boxes beside the styled text areas).

`style` gives a widget the form-control class for its type, and the modifier with which the
NL Design System draws a native element's own states (focus, invalid, read-only, disabled);
a class a form set itself is kept and gets the modifier. The field tag (ui/templatetags) and
`reports.forms.StyledFormMixin` call it, so every form rendered either way has them."""

from django.forms import BoundField

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"

# By BoundField.widget_type: the widget's class name in lower case without "Widget" or "Input".
CONTROL_CLASSES = {
    "text": TEXTBOX,
    "email": TEXTBOX,
    "url": TEXTBOX,
    "number": TEXTBOX,
    "password": TEXTBOX,
    "search": TEXTBOX,
    "date": TEXTBOX,
    "datetime": TEXTBOX,
    "time": TEXTBOX,
    # Not the text area's html modifier: it marks a required, still empty text area invalid
    # (CSS :invalid) before anyone typed, where the text box's waits (:user-invalid).
    "textarea": "utrecht-textarea",
    "select": SELECT,
    "selectmultiple": SELECT,
    "nullbooleanselect": SELECT,
    # The custom modifier draws a tick that looks unlike an empty box (issue 10: a checked box
    # must be visibly distinct; the native one was not, in computed style).
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom",
    "file": "utrecht-textbox int-file-input",
    "clearablefile": "utrecht-textbox int-file-input",
    "multiplefile": "utrecht-textbox int-file-input",
}
# The modifier for native elements, per component class.
HTML_MODIFIERS = {
    "utrecht-textbox": "utrecht-textbox--html-input",
    "utrecht-select": "utrecht-select--html-select",
    "utrecht-checkbox": "utrecht-checkbox--html-input",
}


def style(bound: BoundField) -> None:
    widget = bound.field.widget
    classes = widget.attrs.get("class", "").split()
    if not classes:
        classes = CONTROL_CLASSES.get(bound.widget_type, "").split()
    if "int-file-input" not in classes:  # a file input is a button, not a text box
        for component, modifier in HTML_MODIFIERS.items():
            if component in classes and modifier not in classes:
                classes.append(modifier)
    if classes:
        widget.attrs["class"] = " ".join(classes)
