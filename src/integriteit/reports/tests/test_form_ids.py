"""The case page shows the acknowledgement and the message to the reporter together: their text
fields need ids of their own (WCAG 4.1.1; HTML CodeSniffer found id_text twice), or a label and
an error summary's link point at the wrong field."""

from integriteit.reports.forms import AcknowledgeForm, MessageForm, StaffMessageForm


def test_the_forms_of_the_case_page_have_ids_of_their_own():
    acknowledge, message = AcknowledgeForm(), StaffMessageForm()
    assert acknowledge["text"].auto_id != message["text"].auto_id
    assert acknowledge["text"].id_for_label != message["text"].id_for_label
    # The names, which the views read, stay as they were.
    assert acknowledge["text"].html_name == message["text"].html_name == "text"


def test_the_reporters_message_form_keeps_its_ids():
    assert MessageForm()["text"].auto_id == "id_text"
