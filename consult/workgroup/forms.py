"""Forms of the working-group pages: the table's filters and bulk actions, responses, exports, offline submissions."""
from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import BaseForm, choices, max_chars, no_nul, normalise_name, normalise_text
from ..labels import CHANNELS, RESPONDENT_TYPES, STANCES, STATUSES
from ..models import Channel, Decision, RespondentType, Stance, Status
from ..models import theme as theme_model
from ..services import exports, feedback
from ..services.responses import DECISION_LABELS, JUSTIFICATION_MAX_CHARS

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str | None) -> date | None:
    """YYYY-MM-DD (what <input type=date> sends) or None; ValueError when malformed."""
    if not value:
        return None
    if not _DATE.match(value):
        raise ValueError(value)
    return date.fromisoformat(value)


def _date_check(_form, field) -> None:
    try:
        parse_date(field.data)
    except ValueError:
        raise ValidationError(_l("Enter a date as year-month-day, for example 2014-03-21.")) from None


def _shorten(text: str, size: int = 80) -> str:
    """A campaign's model text on one line, cut at a word near `size` characters."""
    line = " ".join((text or "").split())
    if len(line) <= size:
        return line
    cut = line.rfind(" ", 0, size)
    return line[:cut if cut > size // 2 else size] + "…"


CAMPAIGNS_LISTED = 100


def campaign_choices(campaigns, selected: str | None = None) -> list:
    """"Any campaign", then the CAMPAIGNS_LISTED largest campaigns (and the one chosen) by size and the
    start of the model text: a million comments hold thousands of pairs of identical texts, and a list
    of them all would make the page megabytes long."""
    largest = sorted(campaigns, key=lambda c: (-c.size, str(c.id)))
    listed = largest[:CAMPAIGNS_LISTED] + [c for c in largest[CAMPAIGNS_LISTED:] if str(c.id) == selected]
    return choices([("", _l("Any campaign"))] + [
        (str(c.id), ngettext("%(num)d copy: %(text)s", "%(num)d copies: %(text)s", c.size,
                             text=_shorten(c.text))) for c in listed])


STANCE_CHOICES = [("", _l("Any stance"))] + [(code, STANCES[code]) for code in Stance.ALL]
DECISION_CHOICES = ([("", _l("Answered or not")), (feedback.NOT_ANSWERED, _l("Not answered"))]
                    + [(code, DECISION_LABELS[code]) for code in Decision.ALL])
# The table also finds the drafts a lead has still to approve (exports count approved answers only).
TABLE_DECISION_CHOICES = DECISION_CHOICES + [(feedback.DRAFT, _l("Draft, not approved yet"))]
ASSIGNED_TO_ME = "me"


def _digits(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


class FilterForm(BaseForm):
    """The feedback table's filters (GET): unknown values are ignored, malformed dates get a message."""

    class Meta:
        csrf = False
        locales = False

    q = StringField(_l("Text contains"), filters=[normalise_text], validators=[Optional(), max_chars(200), no_nul])
    kind = SelectField(_l("Items"), validate_choice=False, choices=choices([
        ("all", _l("Comments and positions")), ("comments", _l("Comments")), ("positions", _l("Positions"))]))
    section = SelectField(_l("Section"), validate_choice=False)
    paragraph = SelectField(_l("Paragraph"), validate_choice=False)
    stance = SelectField(_l("Stance"), validate_choice=False, choices=choices(STANCE_CHOICES))
    respondent = SelectField(_l("Respondent type"), validate_choice=False, choices=choices(
        [("", _l("Any respondent type"))] + [(code, RESPONDENT_TYPES[code]) for code in RespondentType.ALL]))
    channel = SelectField(_l("Channel"), validate_choice=False, choices=choices(
        [("", _l("Any channel"))] + [(code, CHANNELS[code]) for code in Channel.ALL]))
    status = SelectField(_l("Moderation status"), validate_choice=False, default=Status.APPROVED, choices=choices(
        [(code, STATUSES[code]) for code in Status.ALL] + [(feedback.ALL_STATUSES, _l("Any status"))]))
    tag = SelectField(_l("Tag"), validate_choice=False)
    subgroup = SelectField(_l("Subgroup"), validate_choice=False)
    campaign = SelectField(_l("Campaign"), validate_choice=False)
    theme = SelectField(_l("Theme"), validate_choice=False)
    decision = SelectField(_l("Response"), validate_choice=False, choices=choices(TABLE_DECISION_CHOICES))
    assignee = SelectField(_l("Assigned to"), validate_choice=False)
    date_from = StringField(_l("From"), filters=[normalise_text], validators=[Optional(), _date_check])
    date_to = StringField(_l("To"), filters=[normalise_text], validators=[Optional(), _date_check])
    per_page = SelectField(_l("Per page"), validate_choice=False, default="25",
                           choices=choices([(str(n), str(n)) for n in feedback.PER_PAGE_CHOICES]))

    def set_choices(self, sections, paragraph_labels, tags, subgroups, localized, campaigns=(), themes=(),
                    members=()) -> None:
        """themes: (theme, its label, the section its set is for or None) triples; members: the working group."""
        self.assignee.choices = choices([("", _l("Anybody or nobody")), (ASSIGNED_TO_ME, _l("Assigned to me")),
                                         (feedback.UNASSIGNED, _l("Nobody"))] + [
            (str(m.id), m.user.display_name) for m in members])
        self.section.choices = choices([("", _l("All sections"))] + [
            (str(s.number), f"{s.number}. {localized(s, 'title')}") for s in sections])
        self.paragraph.choices = choices([("", _l("Any paragraph"))] + [(label, label) for label in paragraph_labels])
        self.tag.choices = choices([("", _l("Any tag"))] + [(str(t.id), t.name) for t in tags])
        self.subgroup.choices = choices([("", _l("Any subgroup"))] + [
            (str(g.id), localized(g, "name")) for g in subgroups])
        self.campaign.choices = campaign_choices(campaigns, self.campaign.data)
        self.theme.choices = choices([("", _l("Any theme"))] + [
            (str(t.id), _l("Section %(number)d: %(theme)s", number=section.number, theme=label) if section else label)
            for t, label, section in themes])

    def to_filters(self, known_tags, known_subgroups, known_campaigns=(), known_themes=(), members=(),
                   me=None) -> feedback.Filters:
        """What the form asks for; values that are not among the choices count as "any"."""
        f = feedback.Filters()
        f.kind = self.kind.data if self.kind.data in ("all", "comments", "positions") else "all"
        f.section = _digits(self.section.data)
        if self.paragraph.data and re.fullmatch(r"\d{1,6}\.\d{1,6}", self.paragraph.data):
            s, p = self.paragraph.data.split(".")
            f.paragraph = (int(s), int(p))
        f.stance = self.stance.data if self.stance.data in Stance.ALL else None
        f.respondent_type = self.respondent.data if self.respondent.data in RespondentType.ALL else None
        f.channel = self.channel.data if self.channel.data in Channel.ALL else None
        f.status = self.status.data if self.status.data in (*Status.ALL, feedback.ALL_STATUSES) else Status.APPROVED
        tag_id = _digits(self.tag.data)
        f.tag_id = tag_id if tag_id in {t.id for t in known_tags} else None
        subgroup_id = _digits(self.subgroup.data)
        f.subgroup_id = subgroup_id if subgroup_id in {g.id for g in known_subgroups} else None
        f.decision = self.decision.data if self.decision.data in (*Decision.ALL, feedback.NOT_ANSWERED,
                                                                 feedback.DRAFT) else None
        if self.assignee.data == ASSIGNED_TO_ME and me is not None:
            f.assignee_id = me.id
        elif self.assignee.data == feedback.UNASSIGNED:
            f.assignee_id = feedback.UNASSIGNED
        else:
            assignee_id = _digits(self.assignee.data)
            f.assignee_id = assignee_id if assignee_id in {m.id for m in members} else None
        f.date_from = _safe_date(self.date_from.data) if not self.date_from.errors else None
        f.date_to = _safe_date(self.date_to.data) if not self.date_to.errors else None
        f.text = (self.q.data or "")[:200] if not self.q.errors else ""
        campaign = next((c for c in known_campaigns if str(c.id) == (self.campaign.data or "")), None)
        f.campaign_ids = list(campaign.ids) if campaign else None
        theme_id = _digits(self.theme.data)
        f.theme_id = theme_id if theme_id in {t.id for t, _label, _section in known_themes} else None
        return f

    def per_page_value(self) -> int:
        value = _digits(self.per_page.data)
        return value if value in feedback.PER_PAGE_CHOICES else feedback.PER_PAGE_CHOICES[0]


def _safe_date(value: str | None) -> date | None:
    try:
        return parse_date(value)
    except ValueError:
        return None


class BulkForm(BaseForm):
    """Checked rows of the table, and what to do with them."""
    items = SelectMultipleField(_l("Selected items"), validate_choice=False)
    # Their own ids: the filter form on the same page has fields called tag and subgroup too.
    tag = StringField(_l("Tag name"), id="bulk-tag", filters=[normalise_text],
                      validators=[Optional(), no_nul, max_chars(feedback.TAG_MAX_CHARS)])
    subgroup = SelectField(_l("Subgroup"), id="bulk-subgroup", validate_choice=False)
    assignee = SelectField(_l("Member"), id="bulk-assignee", validate_choice=False)
    action = StringField()

    ACTIONS = ("tag", "untag", "assign", "assign_member", "approve", "answer")

    def set_choices(self, subgroups, localized, members=()) -> None:
        self.subgroup.choices = choices([("", _l("Choose a subgroup")), ("none", _l("No subgroup (remove)"))] + [
            (str(g.id), localized(g, "name")) for g in subgroups])
        self.assignee.choices = choices([("", _l("Choose a member")), ("none", _l("Nobody (remove)"))] + [
            (str(m.id), m.user.display_name) for m in members])

    def validate_items(self, field):
        field.data = [value for value in (field.data or []) if feedback.parse_ref(value)]
        if not field.data:
            raise ValidationError(_l("Select at least one item in the table."))

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then what the chosen action needs (a tag name, a subgroup)."""
        valid = super().validate(extra_validators)
        action = self.action.data
        if action not in self.ACTIONS:
            if not self.items.errors:
                self.items.errors = [_l("Choose what to do with the selected items.")]
            return False
        if action in ("tag", "untag") and not self.tag.errors and not (self.tag.data or "").strip():
            self.tag.errors = [_l("Enter a tag name.")]
            valid = False
        if action == "assign" and self.subgroup.data not in {c.value for c in self.subgroup.choices} - {""}:
            self.subgroup.errors = [_l("Choose a subgroup.")]
            valid = False
        if action == "assign_member" and self.assignee.data not in {c.value for c in self.assignee.choices} - {""}:
            self.assignee.errors = [_l("Choose a member.")]
            valid = False
        self._errors = None
        return valid


class ResponseForm(BaseForm):
    items = SelectMultipleField(_l("The proposals this response answers"), validate_choice=False,
                                widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    decision = RadioField(_l("Decision"), choices=choices([(code, DECISION_LABELS[code]) for code in Decision.ALL]),
                          validate_choice=False, validators=[InputRequired(message=_l("Choose a decision."))])
    justification_lv = TextAreaField(_l("Justification in Latvian"), filters=[normalise_text], validators=[
        InputRequired(message=_l("Write the justification in Latvian.")), no_nul, max_chars(JUSTIFICATION_MAX_CHARS)])
    justification_en = TextAreaField(_l("Justification in English (optional)"), filters=[normalise_text],
                                     validators=[Optional(), no_nul, max_chars(JUSTIFICATION_MAX_CHARS)])
    changed_paragraph = SelectField(_l("Paragraph changed because of it (optional)"), validate_choice=False)

    def validate_items(self, field):
        known = {c.value for c in self.items.choices}
        field.data = [value for value in (field.data or []) if value in known]
        if not field.data:
            raise ValidationError(_l("Keep at least one proposal selected."))

    def validate_decision(self, field):
        if field.data not in Decision.ALL:
            raise ValidationError(_l("Choose a decision."))

    def validate_changed_paragraph(self, field):
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose a paragraph from the list, or none."))

    def validate_justification_lv(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_l("Write the justification in Latvian."))


class BulkResponseForm(BaseForm):
    """One answer for every item of a set (the table's filters, a theme, a campaign); confirmed first."""
    decision = RadioField(_l("Decision"), choices=choices([(code, DECISION_LABELS[code]) for code in Decision.ALL]),
                          validate_choice=False, validators=[InputRequired(message=_l("Choose a decision."))])
    justification_lv = TextAreaField(_l("Justification in Latvian"), filters=[normalise_text], validators=[
        InputRequired(message=_l("Write the justification in Latvian.")), no_nul, max_chars(JUSTIFICATION_MAX_CHARS)])
    justification_en = TextAreaField(_l("Justification in English (optional)"), filters=[normalise_text],
                                     validators=[Optional(), no_nul, max_chars(JUSTIFICATION_MAX_CHARS)])
    # The count the confirmation page showed; set only there.
    confirmed_count = HiddenField()

    def validate_decision(self, field):
        if field.data not in Decision.ALL:
            raise ValidationError(_l("Choose a decision."))

    def validate_justification_lv(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_l("Write the justification in Latvian."))


class SendBackForm(BaseForm):
    """A lead's note when sending a draft response back to its writer."""
    note = TextAreaField(_l("What should change"), filters=[normalise_text], validators=[
        InputRequired(message=_l("Write what should change, so the writer knows.")), no_nul, max_chars(2000)])

    def validate_note(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_l("Write what should change, so the writer knows."))


FORMAT_CHOICES = [("xlsx", _l("Excel (XLSX): comments, positions, polls and a summary")),
                  ("csv", _l("CSV (UTF-8, for spreadsheets)")),
                  ("docx", _l("Word (DOCX): the response table (izziņa)")),
                  ("json", _l("JSON (for programs)"))]


class ExportForm(BaseForm):
    """Export options (GET, so a download link can be shared inside the working group)."""

    class Meta:
        csrf = False
        locales = False

    format = RadioField(_l("Format"), choices=choices(FORMAT_CHOICES), validate_choice=False,
                        validators=[InputRequired(message=_l("Choose a format."))])
    section = SelectField(_l("Section"), validate_choice=False)
    subgroup = SelectField(_l("Subgroup"), validate_choice=False)
    since = StringField(_l("Only items since"), filters=[normalise_text], validators=[Optional(), _date_check])
    # The same names and choices as the feedback table's filters. An unknown value is refused
    # by services.exports.make_scope (the message goes beside the field), not quietly ignored.
    stance = SelectField(_l("Stance"), validate_choice=False, choices=choices(STANCE_CHOICES))
    decision = SelectField(_l("Response"), validate_choice=False, choices=choices(DECISION_CHOICES))
    campaign = SelectField(_l("Campaign"), validate_choice=False)
    all_statuses = BooleanField(_l("Also items that are not published (waiting, rejected, hidden, withdrawn)"))
    delimiter = RadioField(_l("Column separator in CSV"), validate_choice=False, default=",", choices=choices([
        (",", _l("Comma (,)")),
        (";", _l("Semicolon (;), for spreadsheet programs with Latvian regional settings"))]))
    supports_as_rows = BooleanField(_l("Word: list supporting comments without a proposal as rows"))

    def validate_format(self, field):
        if field.data not in exports.FORMATS:
            raise ValidationError(_l("Choose one of the formats in the list."))

    def set_choices(self, sections, subgroups, localized, campaigns=()) -> None:
        self.section.choices = choices([("", _l("All sections"))] + [
            (str(s.number), f"{s.number}. {localized(s, 'title')}") for s in sections])
        self.subgroup.choices = choices([("", _l("All subgroups"))] + [
            (str(g.id), localized(g, "name")) for g in subgroups])
        self.campaign.choices = campaign_choices(campaigns, self.campaign.data)


OUTCOME_INTRO_MAX_CHARS = 5000


class PublishForm(BaseForm):
    """Publishing the outcome: the introduction in both languages, and a knowing "yes" when some
    proposals have no answer."""
    intro_lv = TextAreaField(_l("Introduction in Latvian"), filters=[normalise_text], validators=[
        DataRequired(message=_l("Write the introduction in Latvian.")), no_nul, max_chars(OUTCOME_INTRO_MAX_CHARS)])
    intro_en = TextAreaField(_l("Introduction in English"), filters=[normalise_text], validators=[
        DataRequired(message=_l("Write the introduction in English.")), no_nul, max_chars(OUTCOME_INTRO_MAX_CHARS)])
    confirm_unanswered = BooleanField()

    def __init__(self, *args, unanswered: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.unanswered = unanswered
        self.confirm_unanswered.label.text = ngettext(
            "Publish although %(num)d proposal has no answer", "Publish although %(num)d proposals have no answer",
            unanswered)

    def validate_confirm_unanswered(self, field):
        if self.unanswered and not field.data:
            raise ValidationError(ngettext(
                "%(num)d proposal has no answer. Answer it first, or tick the box to publish without its answer.",
                "%(num)d proposals have no answer. Answer them first, or tick the box to publish without their "
                "answers.", self.unanswered))


class SubmissionForm(BaseForm):
    """One offline submission, typed in by a member. The fields are named as the import file's columns:
    services.submissions checks both alike and its messages go beside the field they name."""
    section = SelectField(_l("Section"), validate_choice=False)
    paragraph = StringField(_l("Paragraph (optional)"), filters=[normalise_text])
    stance = RadioField(_l("Stance"), choices=choices([(code, STANCES[code]) for code in Stance.ALL]),
                        default=Stance.PROPOSES, validate_choice=False)
    text = TextAreaField(_l("Text of the submission"), filters=[normalise_text])
    respondent_type = RadioField(_l("Who sent it"), default=RespondentType.CITIZEN, validate_choice=False,
                                 choices=choices([(code, RESPONDENT_TYPES[code]) for code in RespondentType.ALL]))
    organisation = StringField(_l("Organisation (optional)"), filters=[normalise_text])
    received_date = StringField(_l("Received on"), filters=[normalise_text])
    channel = RadioField(_l("How it came"), validate_choice=False,
                         choices=choices([(code, CHANNELS[code]) for code in Channel.OFFLINE]))
    language = RadioField(_l("Language of the text"), default="lv", validate_choice=False,
                          choices=choices([("lv", _l("Latvian")), ("en", _l("English"))]))
    idempotency_key = HiddenField()

    COLUMNS = ("section", "paragraph", "stance", "text", "respondent_type", "organisation", "received_date",
               "channel", "language")

    def set_choices(self, sections, localized) -> None:
        self.section.choices = choices([("", _l("Choose a section"))] + [
            (str(s.number), f"{s.number}. {localized(s, 'title')}") for s in sections])

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name).data or "" for name in self.COLUMNS}


class SubmissionsFileForm(BaseForm):
    file = FileField(_l("CSV or Excel file"))


# Themes ----------------------------------------------------------------------------------------

class RecomputeThemesForm(BaseForm):
    """The button that works the themes out again, for the whole consultation or one section."""
    section = StringField(filters=[normalise_text], validators=[Optional(), max_chars(10)])


class RecomputeTextsForm(BaseForm):
    """The button that works the campaigns and frequent words out again."""


class RenameThemeForm(BaseForm):
    name = StringField(_l("New name"), filters=[normalise_name], validators=[
        InputRequired(message=_l("Enter a name for the theme.")), no_nul, max_chars(theme_model.NAME_MAX_CHARS)])

    def validate_name(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_l("Enter a name for the theme."))


class MergeThemeForm(BaseForm):
    into = SelectField(_l("Merge it into"), validate_choice=False)

    def set_choices(self, others, label) -> None:
        self.into.choices = choices([("", _l("Choose a theme"))] + [(str(t.id), label(t)) for t in others])

    def validate_into(self, field):
        if field.data not in {c.value for c in field.choices} - {""}:
            raise ValidationError(_l("Choose the theme to merge this one into."))


class MoveThemeForm(BaseForm):
    """Checked members of a theme, and the theme they move to."""
    items = SelectMultipleField(_l("Selected items"), validate_choice=False)
    into = SelectField(_l("Move them to"), id="move-into", validate_choice=False)

    def set_choices(self, others, label) -> None:
        self.into.choices = choices([("", _l("Choose a theme"))] + [(str(t.id), label(t)) for t in others])

    def validate_items(self, field):
        field.data = [value for value in (field.data or []) if feedback.parse_ref(value)]
        if not field.data:
            raise ValidationError(_l("Select at least one comment or position to move."))

    def validate_into(self, field):
        if field.data not in {c.value for c in field.choices} - {""}:
            raise ValidationError(_l("Choose the theme to move them to."))
