"""Every refusal a person can meet, in their words: the one catalog from a service's refusal code
(services/refusals.py) to a translated message. Views show `message(refused)` beside the field it
concerns or at the top of the page; commands print it in English.

May import the services' refusal type and the site-wide helpers; no area package.
"""
from __future__ import annotations

from flask import flash
from flask_babel import force_locale, format_decimal, lazy_ngettext
from flask_babel import lazy_gettext as _l

from .models.theme import NAME_MAX_CHARS
from .services import accounts, submissions, workflow
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
    "feedback.role": _l("This person has neither the working-group nor the editor role. Give them one on the "
                        "“Users and roles” page first."),
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
    # Importing a draft from a Markdown file or a Word document.
    "importing.too_large": _l("The file is larger than %(size)s MB."),
    "importing.format": _l("Choose a Markdown file (.md) or a Word document (.docx)."),
    "importing.empty": _l("The file is empty."),
    "importing.nul": _l("The file contains a character that cannot be stored (NUL)."),
    "importing.not_markdown": _l("This is not a Markdown text file. Choose a .md file saved as UTF-8 text, "
                                 "or a Word document (.docx)."),
    "importing.not_utf8": _l("The file is not UTF-8 text. Save it as UTF-8 and try again."),
    "importing.empty_heading": _l("Line %(line)d is a heading with no text (only “#” marks). Write the heading "
                                  "after the marks, or remove the line."),
    "importing.not_docx": _l("This is not a Word document (.docx). Save the file in Word as "
                             "“Word Document (.docx)” and try again."),
    "importing.docx_too_large": _l("The document is too large to import."),
    "importing.unreadable_docx": _l("This Word document could not be read. Open it in Word, save it again as "
                                    ".docx and try again."),
    "importing.no_headings": _l("The file has no headings, so it cannot be split into sections. "
                                "Start each section with a heading (“# Title” in Markdown, the "
                                "“Heading 1” style in Word)."),
    "importing.title_long": _l("The heading of section %(number)d is longer than %(limit)d characters."),
    "importing.text_before": _l("There is text before the first section heading (it begins “%(start)s”). "
                                "Every paragraph must be under a section heading."),
    "importing.too_many_sections": _l("The file has more than %(limit)d sections."),
    "importing.empty_section": _l("Section %(number)d (“%(title)s”) has no text under its heading."),
    "importing.too_many_paragraphs": _l("Section %(number)d has more than %(limit)d paragraphs."),
    "importing.paragraph_long": _l("Paragraph %(label)s is longer than %(limit)d characters."),
    # Offline submissions: a file as a whole, then each line's cells (or the page's form fields).
    "submission.problems": _l("Nothing was imported: the file has problems on the lines listed below."),
    "submission.too_large": _l("The file is larger than %(limit)s MB, the most that can be imported at once. "
                               "Split it into smaller files."),
    "submission.empty": _l("The file is empty."),
    "submission.format": _l("Choose a CSV file (.csv) or an Excel workbook (.xlsx)."),
    "submission.not_xlsx": _l("The file cannot be opened as an Excel workbook (.xlsx). Save it again from the "
                              "spreadsheet program, or save it as CSV UTF-8."),
    "submission.not_utf8": _l("the text is not in the UTF-8 encoding. Save the file as “CSV UTF-8” and import it "
                              "again."),
    "submission.bad_csv": _l("the line cannot be read as CSV: a quotation mark is not closed, or it holds a NUL "
                             "character."),
    "submission.no_headings": _l("the first line must hold the column headings (section, text, received date, "
                                 "channel …)."),
    "submission.unknown_column": _l("there is no column “%(value)s”. The columns are: %(allowed)s."),
    "submission.twice": _l("the column “%(value)s” is given twice."),
    "submission.missing_column": _l("the column “%(value)s” is missing; it is required."),
    "submission.extra_cells": _l("the line has more cells than there are column headings."),
    "submission.no_rows": _l("The file has column headings but no submissions."),
    "submission.too_many_rows": _l("The file has more than %(limit)s submissions. Split it into smaller files."),
    "submission.imported": _l("This file was imported into this consultation already, so nothing was imported "
                              "again."),
    "submission.draft": _l("This consultation is not published yet, so nothing can be entered for it."),
    "submission.formula": _l("the cell starts with “%(value)s”, which spreadsheet programs run as a formula. "
                             "Remove that character or begin the cell with a word."),
    "submission.section_missing": _l("Say which section it is about."),
    "submission.section_number": _l("“%(value)s” is not a section number."),
    "submission.section_unknown": _l("This consultation has no published section %(value)s."),
    "submission.paragraph_number": _l("“%(value)s” is not a paragraph number. Give the paragraph's number in its "
                                      "section (3), or its label (2.3)."),
    "submission.paragraph_other_section": _l("Paragraph %(value)s is not in section %(section)s."),
    "submission.paragraph_unknown": _l("Section %(section)s has no paragraph %(value)s."),
    "submission.stance_unknown": _l("“%(value)s” is not a stance. Use one of: %(allowed)s."),
    "submission.text_missing": _l("The text is empty."),
    "submission.text_long": _l("The text has %(used)s characters; at most %(limit)s are allowed."),
    "submission.nul": _l("The text contains a character that cannot be stored (NUL). Remove it and try again."),
    "submission.respondent_unknown": _l("“%(value)s” is not a respondent type. Use one of: %(allowed)s."),
    "submission.organisation_long": _l("The organisation's name has %(used)s characters; at most %(limit)s are "
                                       "allowed."),
    "submission.date_missing": _l("Give the date it was received."),
    "submission.date_format": _l("“%(value)s” is not a date. Write it as year-month-day (2026-03-21) or "
                                 "day.month.year (21.03.2026)."),
    "submission.date_future": _l("The date %(value)s is in the future."),
    "submission.channel_missing": _l("Say how it came: letter, e-mail or meeting."),
    "submission.channel_unknown": _l("“%(value)s” is not a channel. Use letter, e-mail or meeting."),
    "submission.language_unknown": _l("“%(value)s” is not a language. Use lv (Latvian) or en (English)."),
    # Moderation of items (comments and positions) and of authors.
    "moderation.own": _l("You cannot moderate your own comment or account."),
    "moderation.own_position": _l("You cannot moderate your own position."),
    "moderation.state": _l("This item has changed in the meantime; nothing was done."),
    "moderation.staff": _l("Only an administrator can suspend a staff account."),
    "moderation.offline_sender": _l("Offline submissions have no account of their own, so there is nobody to "
                                    "suspend."),
}


# An offline submission's problem names its line (and column) and quotes the cell, cut short when long.
_AT_LINE_COLUMN = _l("Line %(line)s, column “%(column)s”: %(reason)s")
_AT_LINE = _l("Line %(line)s: %(reason)s")
SHOWN_VALUE_CHARS = 40


def _shown(name: str, value) -> str:
    """A submission problem's detail as the message shows it: lists joined, numbers as the language writes
    them (a section's number as it is), a long cell cut short."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, int) and name != "section":
        return format_decimal(value)   # 50,000 in English, 50 000 in Latvian
    text = str(value)
    if name != "value" or len(text) <= SHOWN_VALUE_CHARS:
        return text
    return text[:SHOWN_VALUE_CHARS - 1] + "…"


# Refusals whose limit is a file's size in bytes; it reads as megabytes in the page's language.
SIZE_LIMITS = {"upload.too_large", "importing.too_large"}


def _details(refused: Refused) -> dict:
    details = dict(refused.details)
    if refused.code.startswith("submission."):
        return {name: _shown(name, value) for name, value in details.items()
                if name not in ("line", "heading", "problems")}
    if refused.code in SIZE_LIMITS and "limit" in details:
        details.setdefault("size", megabytes(details.pop("limit")))
    return details


def message(refused: Refused | str, **details) -> str:
    """The translated sentence for a refusal (or for a bare code the caller already knows)."""
    if isinstance(refused, str):
        refused = Refused(refused, **details)
    text = str(MESSAGES[refused.code])
    values = _details(refused)
    text = text % values if values else text
    return text[:1].upper() + text[1:]


def english(refused: Refused | str, **details) -> str:
    """The same sentence in English, for the command line."""
    with force_locale("en"):
        return message(refused, **details)


def problems(refused: Refused) -> list[Refused]:
    """The refusals one refusal carries (an import's problems, `Refused("submission.problems")`), or itself."""
    return list(refused.details.get("problems") or [refused])


def messages(refused: Refused) -> list[str]:
    """Each problem's sentence with the line and column it names, for a file refused line by line."""
    found = []
    for problem in problems(refused):
        line = problem.details.get("line")
        if line is None:
            found.append(message(problem))
            continue
        reason = message(problem)
        reason = reason[:1].lower() + reason[1:]
        column = problem.field
        if column:
            heading = problem.details.get("heading") or str(submissions.COLUMN_NAMES[column])
            found.append(str(_AT_LINE_COLUMN) % {"line": line, "column": heading, "reason": reason})
        else:
            found.append(str(_AT_LINE) % {"line": line, "reason": reason})
    return found


def show(refused: Refused, form=None, default: str | None = None) -> None:
    """A refusal on the page, the same way everywhere: beside the form's field it is about (`refused.field`,
    else `default`), or flashed at the top of the page when the form has neither. A refusal that carries
    several problems shows each of them so."""
    for problem in problems(refused):
        field = next((getattr(form, name) for name in (problem.field, default)
                      if form is not None and name and hasattr(form, name)), None)
        if field is None:
            flash(message(problem), "error")
            continue
        field.errors = [*field.errors, message(problem)]
        form._errors = None  # the form's error summary is worked out again, with this one
