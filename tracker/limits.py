"""How long each free text may be, one number per use, read by the forms and serializers.

The models keep ``TextField`` (no migration): the limits are enforced where text comes in,
the page forms and the API's input serializers, with a Persian message naming the field.
Each number fits its use with a wide margin (a decision is a paragraph, an agreement's text
is a document of some dozens of pages), and bounds the work a single request can cause
(normalised search text, diffs between versions, PDF rendering). docs/api.md lists them.
"""

from __future__ import annotations

#: The full text of one agreement version (the same ceiling as a meeting's minutes).
AGREEMENT_TEXT = 200_000
#: An agreement's subject: a few paragraphs.
AGREEMENT_SUBJECT = 5_000
#: A meeting's internal notes.
MEETING_NOTES = 10_000
#: The description of one agenda item, and one decision's text.
AGENDA_DESCRIPTION = 5_000
DECISION_TEXT = 5_000
#: What one speaker said at a meeting (a report quotes a few paragraphs at most).
STATEMENT_TEXT = 10_000
#: What an action item asks for, and the note left when it is completed.
ACTION_DESCRIPTION = 2_000
COMPLETION_NOTE = 2_000
#: Login: Django's username column is 150; a password longer than this is not a password.
USERNAME = 150
PASSWORD = 1_024
#: People of one group or delegation in a meeting (the column is a 32-bit integer).
HEAD_COUNT = 10_000
