"""Every refusal a person can meet, in their words: the one catalog from a service's refusal code
(services/refusals.py) to a translated message. Views show `message(refused)` beside the field it
concerns or at the top of the page; commands print it in English.

May import the services' refusal type and the site-wide helpers; no area package.
"""
from __future__ import annotations

from flask import flash
from flask_babel import force_locale, lazy_ngettext
from flask_babel import lazy_gettext as _l

from .models.theme import NAME_MAX_CHARS
from .services import accounts, workflow
from .services.refusals import Refused
from .uploads_limit import megabytes

MESSAGES = {
    # Accounts: passwords, the e-mail address, two-step verification, accounts made on the command line.
    "account.wrong_password": _l("The password is not right."),
    "account.too_short": lazy_ngettext("Use at least %(num)d character for your password.",
                                       "Use at least %(num)d characters for your password.",
                                       accounts.PASSWORD_MIN_LENGTH),
    "account.too_long": lazy_ngettext("Use at most %(num)d character for your password.",
                                      "Use at most %(num)d characters for your password.",
                                      accounts.PASSWORD_MAX_LENGTH),
    "account.common": _l("This password is too common and easy to guess. Choose another one."),
    "account.has_password": _l("This account already has a password."),
    "account.invalid_email": _l("Enter an e-mail address in the right format, like name@example.com."),
    "account.same_email": _l("This is already your e-mail address."),
    "account.exists": _l("An account with this e-mail address already exists."),
    "account.not_found": _l("There is no account with this e-mail address."),
    "account.bad_role": _l("Choose a role."),
    "account.bad_respondent_type": _l("Choose how you take part."),
    "account.bad_name": _l("A name has 1 to %(limit)d characters.", limit=accounts.NAME_MAX_LENGTH),
    "account.bad_code": _l("This code is not right. Enter the code your authentication app shows now, and check "
                           "that the clock on your phone is right."),
    "account.used_code": _l("This code has already been used. Wait until your authentication app shows a new "
                            "code, then enter that one."),
    "account.already_on": _l("Two-step verification is already on."),
    "account.not_started": _l("Start setting up two-step verification first."),
    "account.not_on": _l("This account does not use two-step verification."),
    "account.required": _l("Two-step verification is required for staff accounts, so it cannot be turned off."),
    # Comments (participation): posting, editing, withdrawing.
    "comment.closed": _l("This consultation is not open for comments."),
    "comment.unpublished": _l("This section is not open for comments."),
    "comment.anonymous": _l("Sign in to comment."),
    "comment.unconfirmed": _l("Confirm your e-mail address before you comment. We sent you a link."),
    "comment.no_parent": _l("The comment you are replying to cannot be answered."),
    "comment.nested_reply": _l("You can reply to a comment, but not to a reply."),
    "comment.no_paragraph": _l("Choose a paragraph of this section."),
    "comment.duplicate": _l("You have already posted this text. Each comment must be different."),
    "comment.not_pending": _l("This comment has already been moderated, so it can no longer be changed."),
    # Polls.
    "poll.closed": _l("This poll is closed, so it no longer takes votes."),
    "poll.no_choice": _l("Choose an answer."),
    "poll.one_choice": _l("Choose one answer."),
    "poll.already_voted": _l("You have already answered this poll. Your first answer is kept."),
    "poll.sign_in": _l("Sign in with a confirmed account to answer this poll."),
    # Organisations and their positions.
    "position.closed": _l("This consultation is not open, so positions cannot be submitted."),
    "position.not_representative": _l("Choose an organisation you represent."),
    "position.not_verified": _l("This organisation has not been verified yet. An administrator will check it soon."),
    "position.sections": _l("Choose sections of this draft that have been published."),
    "position.registration_taken": _l("An organisation with this registration number is already registered."),
    # A position's file: a PDF or a signed container.
    "attachment.empty": _l("The file is empty. Choose a PDF file or a signed container."),
    "attachment.not_pdf": _l("This file is not a PDF document. Choose a PDF file or a signed container "
                             "(.edoc, .asice)."),
    "attachment.not_container": _l("This file is not a signed container (ASiC-E, as .edoc or .asice files are). "
                                   "Sign the document again, or choose a PDF file."),
    "attachment.no_signature": _l("This container holds no signature. Sign it, or choose a PDF file."),
    "attachment.container_too_large": _l("This container unpacks to more than 50 MB or 100 files. "
                                         "Choose a smaller one."),
    # Any uploaded file.
    "upload.empty": _l("The file is empty."),
    "upload.too_large": _l("The file is larger than %(size)s MB. Choose a smaller file."),
    "upload.type": _l("This file is not a PDF, Word, Excel or OpenDocument file. Choose a .pdf, .docx, .xlsx, "
                      ".odt, .ods, .doc or .xls file."),
    "upload.mismatch": _l("The file's name says %(claimed)s, but its content is %(actual)s. Check that you chose "
                          "the right file."),
    # Authoring: consultations, their draft and versions, users and roles (admin).
    "authoring.slug": _l("Another item already uses this web address name. Choose a different one."),
    "authoring.status": _l("This status change is not possible from the current status."),
    "authoring.outcome_intro": _l("The working group has not yet written the outcome's introduction in both "
                                  "languages, so the outcome cannot be published. The working group writes it and "
                                  "publishes the outcome on its “Publish the outcome” page."),
    "authoring.closes_past": _l("The closing time has already passed. Set a later closing time before opening the "
                                "consultation."),
    "authoring.already_published": _l("This is already published."),
    "authoring.not_latest": _l("Only the newest version can be published."),
    "authoring.note_missing": _l("Write what changed (in Latvian) before publishing this version."),
    "authoring.no_text": _l("This version has no text yet: import or write the text first."),
    "authoring.draft_exists": _l("Version %(number)d is not yet published: edit that one instead of starting "
                                 "another."),
    "authoring.section_number": _l("Another section already has this number."),
    "authoring.section_in_use": _l("This section has text or comments, so it cannot be deleted."),
    "authoring.paragraph": _l("The paragraph could not be added; please try again."),
    "authoring.paragraph_in_use": _l("Only the last paragraph can be deleted, and only while nobody has commented "
                                     "on it."),
    "authoring.plan_changed": _l("The draft has changed since the preview, so nothing was imported. Please import "
                                 "the files again."),
    "authoring.version": _l("The version could not be created; please try again."),
    "authoring.role": _l("Choose a role."),
    "authoring.own_role": _l("You cannot change your own role. Ask another administrator."),
    # The working group's response workflow: approving, sending back, assigning, answering a set.
    "workflow.already_approved": _l("This response is already approved."),
    "workflow.note_empty": _l("Write what should change, so the writer knows."),
    "workflow.note_long": _l("Use at most %(limit)d characters.", limit=workflow.REVIEW_NOTE_MAX_CHARS),
    "workflow.no_drafts": _l("None of the selected items has a draft response to approve."),
    "workflow.no_items": _l("Select at least one item in the table."),
    "workflow.assignee": _l("Choose a member."),
    "workflow.decision": _l("Choose a decision."),
    "workflow.justification": _l("Write the justification in Latvian."),
    # The working group's members and the feedback table's tags and subgroups.
    "feedback.no_user": _l("There is no account with this e-mail address. The person must have an account first."),
    "feedback.role": _l("This person does not have the working-group role. Give them the role on the “Users and "
                        "roles” page first."),
    "feedback.already_member": _l("This person is already in this working group."),
    "feedback.no_items": _l("Select at least one item in the table."),
    "feedback.tag": _l("A tag name has 1 to 60 characters."),
    "feedback.unknown_tag": _l("No item has this tag, so nothing was removed."),
    "feedback.subgroup": _l("Choose a subgroup."),
    # Responses to proposals, and publishing the outcome.
    "response.decision": _l("Choose a decision."),
    "response.justification": _l("Write the justification in Latvian."),
    "response.no_items": _l("Keep at least one proposal selected."),
    "response.paragraph": _l("Choose a paragraph from the list, or none."),
    "response.status": _l("The outcome can be published only when the consultation is closed for comments."),
    # The working group's themes: renaming, merging, moving comments between them.
    "theme.no_section": _l("Choose a section of this consultation."),
    "theme.no_theme": _l("This theme no longer exists."),
    "theme.name_empty": _l("Enter a name for the theme."),
    "theme.name_long": _l("Use at most %(limit)d characters.", limit=NAME_MAX_CHARS),
    "theme.merge_target": _l("Choose the theme to merge this one into."),
    "theme.merge_other": _l("The “other” group cannot be merged into a theme. Move its comments one by one "
                            "instead."),
    "theme.move_target": _l("Choose the theme to move them to."),
    "theme.no_items": _l("Select at least one comment or position to move."),
    # Exports: what the form or the command line asked for.
    "export.format": _l("Choose one of the formats in the list."),
    "export.section": _l("Choose a section of this consultation."),
    "export.subgroup": _l("Choose a subgroup of this consultation."),
    "export.since": _l("Enter a date as year-month-day, for example 2014-03-21."),
    "export.stance": _l("Choose a stance from the list."),
    "export.decision": _l("Choose a response from the list."),
    "export.campaign": _l("Choose a campaign of this consultation from the list."),
    "export.delimiter": _l("Choose a comma or a semicolon."),
    # The analysis the command line writes.
    "analysis.section": _l("Choose a section of this consultation."),
    # Synthetic comments for load tests (the demo command).
    "synthetic.no_consultation": _l("There is no open consultation: load the demo first (%(command)s)."),
    "synthetic.no_section": _l("The open consultation has no published section."),
    # Moderation of items (comments and positions) and of authors.
    "moderation.own": _l("You cannot moderate your own comment or account."),
    "moderation.own_position": _l("You cannot moderate your own position."),
    "moderation.state": _l("This item has changed in the meantime; nothing was done."),
    "moderation.staff": _l("Only an administrator can suspend a staff account."),
    "moderation.offline_sender": _l("Offline submissions have no account of their own, so there is nobody to "
                                    "suspend."),
}


def _details(refused: Refused) -> dict:
    details = dict(refused.details)
    if "limit" in details:  # a size in bytes reads as megabytes in the page's language
        details.setdefault("size", megabytes(details.pop("limit")))
    return details


def message(refused: Refused | str, **details) -> str:
    """The translated sentence for a refusal (or for a bare code the caller already knows)."""
    if isinstance(refused, str):
        refused = Refused(refused, **details)
    text = str(MESSAGES[refused.code])
    values = _details(refused)
    return text % values if values else text


def english(refused: Refused | str, **details) -> str:
    """The same sentence in English, for the command line."""
    with force_locale("en"):
        return message(refused, **details)


def show(refused: Refused, form=None, default: str | None = None) -> None:
    """A refusal on the page, the same way everywhere: beside the form's field it is about (`refused.field`,
    else `default`), or flashed at the top of the page when the form has no such field."""
    name = refused.field or default
    field = getattr(form, name, None) if form is not None and name else None
    if field is None:
        flash(message(refused), "error")
        return
    field.errors = [*field.errors, message(refused)]
    form._errors = None  # the form's error summary is worked out again, with this one
