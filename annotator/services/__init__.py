"""Writes that need a transaction or touch several rows: keyword-only arguments,
<entity>_<action> names, never HTTP. Views, the API and the CLI all go through these."""

from .accounts import password_change
from .agreement import (
    agreement_refresh,
    agreement_refresh_request,
    document_agreement_compute,
    documents_agreement_compute,
    documents_by_agreement,
)
from .assignments import (
    assignment_next,
    assignment_skip,
    assignment_submit,
    assignments_release_stale,
)
from .documents import document_import
from .errors import (
    AssignmentClosed,
    AttributesRejected,
    ServiceError,
    SpanGone,
    SpanRejected,
    SubmissionIncomplete,
)
from .gazetteer import (
    gazetteer_add_starter,
    gazetteer_entry_delete,
    gazetteer_entry_save,
    project_set_suggestions,
)
from .invitations import (
    AccountRejected,
    InvitationUnusable,
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_revoke,
)
from .links import LinkRejected, link_create, link_delete
from .projects import (
    membership_remove,
    membership_set,
    project_create,
    project_settings_update,
    token_create,
)
from .reviews import (
    REASONS,
    ReviewClosed,
    ReviewConflict,
    ReviewState,
    annotator_names,
    review_auto_accept,
    review_decide,
    review_finish,
    review_link_decide,
    review_reopen,
    review_state,
)
from .spans import span_create, span_delete, span_relabel, span_set_attributes
from .suggestions import document_suggestions, suggestions_measure
from .welfare import membership_content_note_accept

__all__ = [
    "REASONS",
    "AccountRejected",
    "AssignmentClosed",
    "AttributesRejected",
    "InvitationUnusable",
    "LinkRejected",
    "ReviewClosed",
    "ReviewConflict",
    "ReviewState",
    "ServiceError",
    "SpanGone",
    "SpanRejected",
    "SubmissionIncomplete",
    "agreement_refresh",
    "agreement_refresh_request",
    "annotator_names",
    "assignment_next",
    "assignment_skip",
    "assignment_submit",
    "assignments_release_stale",
    "document_agreement_compute",
    "document_import",
    "document_suggestions",
    "documents_agreement_compute",
    "documents_by_agreement",
    "gazetteer_add_starter",
    "gazetteer_entry_delete",
    "gazetteer_entry_save",
    "invitation_accept",
    "invitation_create",
    "invitation_for_token",
    "invitation_revoke",
    "link_create",
    "link_delete",
    "membership_content_note_accept",
    "membership_remove",
    "membership_set",
    "password_change",
    "project_create",
    "project_set_suggestions",
    "project_settings_update",
    "review_auto_accept",
    "review_decide",
    "review_finish",
    "review_link_decide",
    "review_reopen",
    "review_state",
    "span_create",
    "span_delete",
    "span_relabel",
    "span_set_attributes",
    "suggestions_measure",
    "token_create",
]
