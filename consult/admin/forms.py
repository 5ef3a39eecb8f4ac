"""Forms of the admin area. Times are typed as a date and a time in Riga and stored as naive UTC."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .. import refusals
from ..clock import utcnow
from ..forms import BaseForm, max_chars, no_nul, normalise_name, normalise_text
from ..labels import ROLES
from ..models import Role
from ..services.importing import empty_heading_line

try:  # WTForms 3.3 wants SelectChoice objects; older versions take (value, label) pairs.
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover
    SelectChoice = None

RIGA = ZoneInfo("Europe/Riga")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def choices(pairs) -> list:
    pairs = list(pairs)
    return [SelectChoice(value, label) for value, label in pairs] if SelectChoice else pairs


def riga_to_utc(day: date, moment: time) -> datetime:
    local = datetime.combine(day, moment).replace(tzinfo=RIGA)
    return local.astimezone(UTC).replace(tzinfo=None)


def utc_to_riga(value: datetime | None) -> tuple[str, str]:
    """("2026-03-01", "09:00") for a stored naive-UTC time; ("", "") for none."""
    if value is None:
        return "", ""
    local = value.replace(tzinfo=UTC).astimezone(RIGA)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M")


def _parse_date(text: str) -> date | None:
    """2026-03-01 as the date picker sends it, or 1.03.2026. as Latvians write it where there is no picker."""
    text = (text or "").strip()
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = match.groups()
    elif match := re.fullmatch(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\.?", text):
        day, month, year = match.groups()
    else:
        return None
    if not 1900 <= int(year) <= 2999:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _parse_time(text: str) -> time | None:
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::\d{2})?", text or "")
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _text(label, required_message=None, limit=300, name=False):
    validators = [DataRequired(message=required_message)] if required_message else [Optional()]
    return StringField(label, filters=[normalise_name if name else normalise_text],
                       validators=validators + [no_nul, max_chars(limit)])


def _area(label, required_message=None, limit=20_000):
    validators = [DataRequired(message=required_message)] if required_message else [Optional()]
    return TextAreaField(label, filters=[normalise_text], validators=validators + [no_nul, max_chars(limit)])


class WhenMixin:
    """Pairs of date and time fields named <name>_date and <name>_time."""

    past_asked: str | None = None  # the pair whose past time is waiting for its box to be ticked

    def read_when(self, name: str, required: bool = False) -> datetime | None:
        """The UTC time typed into the pair, None when both are empty; adds messages beside the fields."""
        date_field, time_field = getattr(self, f"{name}_date"), getattr(self, f"{name}_time")
        day_text, time_text = (date_field.data or "").strip(), (time_field.data or "").strip()
        if not day_text and not time_text:
            if required:
                date_field.errors.append(_l("Enter a date."))
            return None
        day = _parse_date(day_text)
        moment = _parse_time(time_text)
        if day is None:
            date_field.errors.append(_l("Enter a real date, for example 2026-03-01."))
        if moment is None:
            time_field.errors.append(_l("Enter a time of day, for example 09:00.") if time_text
                                     else _l("Enter a time as well as the date."))
        if day is None or moment is None:
            return None
        return riga_to_utc(day, moment)

    def fill_when(self, name: str, value: datetime | None) -> None:
        getattr(self, f"{name}_date").data, getattr(self, f"{name}_time").data = utc_to_riga(value)

    def past_time_confirmed(self, name: str, value: datetime | None, stored: datetime | None) -> bool:
        """A publication time already past publishes at once: the first time, ask with a box to tick.

        False (with a message beside the date and the box shown) while a past time that differs from the
        one already stored is not confirmed. A stored time kept as it is needs no new confirmation.
        """
        if value is None or value > utcnow():
            return True
        if stored is not None and stored.replace(second=0, microsecond=0) == value:
            return True
        if getattr(self, f"{name}_past").data:
            return True
        getattr(self, f"{name}_date").errors.append(_l(
            "This time has already passed, so saving publishes it at once. Tick the box below to publish "
            "it now, or enter a later time."))
        self.past_asked = name
        return False


def _date_field(label):
    return StringField(label, filters=[normalise_text], validators=[Optional(), max_chars(20)])


def _time_field(label):
    return StringField(label, filters=[normalise_text], validators=[Optional(), max_chars(10)])


class ConsultationForm(WhenMixin, BaseForm):
    slug = _text(_l("Web address name"), _l("Enter the web address name."), limit=120)
    title_lv = _text(_l("Title in Latvian"), _l("Enter the title in Latvian."))
    title_en = _text(_l("Title in English (optional)"))
    summary_lv = _area(_l("Summary in Latvian"), limit=10_000)
    summary_en = _area(_l("Summary in English (optional)"), limit=10_000)
    institution_lv = _text(_l("Institution in Latvian"), limit=200)
    institution_en = _text(_l("Institution in English (optional)"), limit=200)
    opens_date = _date_field(_l("Date"))
    opens_time = _time_field(_l("Time"))
    closes_date = _date_field(_l("Date"))
    closes_time = _time_field(_l("Time"))
    moderation_mode = RadioField(_l("Moderation"), default="pre", choices=choices([
        ("pre", _l("Before publication: a moderator approves every comment first")),
        ("post", _l("After publication: comments appear at once and are checked later")),
    ]), validators=[InputRequired(message=_l("Choose how comments are moderated."))])

    def validate_slug(self, field):
        if field.data and not SLUG_RE.match(field.data):
            raise ValidationError(_l("Use only small letters a–z, digits and hyphens, for example "
                                     "social-services-2026."))

    def values(self) -> dict | None:
        """The cleaned values, or None when the dates need correcting (messages are on the fields)."""
        opens_at = self.read_when("opens")
        closes_at = self.read_when("closes")
        if any(getattr(self, f).errors for f in ("opens_date", "opens_time", "closes_date", "closes_time")):
            return None
        if opens_at and closes_at and closes_at <= opens_at:
            self.closes_date.errors.append(_l("The closing time must be after the opening time."))
            return None
        values = {name: getattr(self, name).data or "" for name in (
            "slug", "title_lv", "title_en", "summary_lv", "summary_en", "institution_lv", "institution_en",
            "moderation_mode")}
        values.update(opens_at=opens_at, closes_at=closes_at)
        return values

    def fill(self, item) -> None:
        for name in ("slug", "title_lv", "title_en", "summary_lv", "summary_en", "institution_lv",
                     "institution_en", "moderation_mode"):
            getattr(self, name).data = getattr(item, name)
        self.fill_when("opens", item.opens_at)
        self.fill_when("closes", item.closes_at)


class SectionForm(WhenMixin, BaseForm):
    number = StringField(_l("Number"), filters=[normalise_text],
                         validators=[DataRequired(message=_l("Enter the section number.")), max_chars(6)])
    title_lv = _text(_l("Title in Latvian"), _l("Enter the title in Latvian."))
    title_en = _text(_l("Title in English (optional)"))
    publish_date = _date_field(_l("Date"))
    publish_time = _time_field(_l("Time"))
    publish_past = BooleanField(_l("Yes, publish the section now, dated at the time above"))

    def validate_number(self, field):
        if field.data and (not field.data.isdigit() or not 0 < int(field.data) <= 9999):
            raise ValidationError(_l("Enter a whole number from 1 to 9999."))


def no_empty_heading(form, field):
    """Markdown text must not have a heading without words ("## " alone)."""
    line = empty_heading_line(field.data or "")
    if line is not None:
        raise ValidationError(refusals.message("importing.empty_heading", line=line))


class ParagraphForm(BaseForm):
    text_lv = _area(_l("Text in Latvian"), _l("Enter the text in Latvian."), limit=50_000)
    text_en = _area(_l("Text in English (optional)"), limit=50_000)
    validate_text_lv = validate_text_en = no_empty_heading


class ImportForm(BaseForm):
    file_lv = FileField(_l("Latvian text"))
    file_en = FileField(_l("English text (optional)"))
    change_note_lv = _area(_l("What changed, in Latvian"), limit=5_000)
    change_note_en = _area(_l("What changed, in English (optional)"), limit=5_000)


class ImportConfirmForm(BaseForm):
    token = HiddenField()


class ChangeNoteForm(BaseForm):
    change_note_lv = _area(_l("What changed, in Latvian"), limit=5_000)
    change_note_en = _area(_l("What changed, in English (optional)"), limit=5_000)


class SubgroupForm(BaseForm):
    name_lv = _text(_l("Name in Latvian"), _l("Enter the name in Latvian."))
    name_en = _text(_l("Name in English (optional)"))
    description_lv = _area(_l("Description in Latvian (optional)"), limit=10_000)
    description_en = _area(_l("Description in English (optional)"), limit=10_000)
    position = StringField(_l("Position in the list"), filters=[normalise_text],
                           validators=[Optional(), max_chars(4)])
    sections = SelectMultipleField(_l("Sections it covers"), choices=[], validate_choice=True,
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())

    def validate_position(self, field):
        if field.data and not field.data.isdigit():
            raise ValidationError(_l("Enter a whole number, or leave it empty."))


class NewsForm(WhenMixin, BaseForm):
    slug = _text(_l("Web address name"), _l("Enter the web address name."), limit=120)
    title_lv = _text(_l("Title in Latvian"), _l("Enter the title in Latvian."))
    title_en = _text(_l("Title in English (optional)"))
    body_lv = _area(_l("Text in Latvian"), limit=50_000)
    body_en = _area(_l("Text in English (optional)"), limit=50_000)
    consultation = SelectField(_l("Consultation (optional)"), choices=[], validate_choice=True)
    publish_date = _date_field(_l("Date"))
    publish_time = _time_field(_l("Time"))
    publish_past = BooleanField(_l("Yes, publish the news item now, dated at the time above"))

    validate_slug = ConsultationForm.validate_slug


class FaqForm(BaseForm):
    consultation = SelectField(_l("Consultation (optional)"), choices=[], validate_choice=True)
    position = StringField(_l("Position in the list"), filters=[normalise_text],
                           validators=[Optional(), max_chars(4)])
    question_lv = _text(_l("Question in Latvian"), _l("Enter the question in Latvian."), limit=500)
    question_en = _text(_l("Question in English (optional)"), limit=500)
    answer_lv = _area(_l("Answer in Latvian"), limit=20_000)
    answer_en = _area(_l("Answer in English (optional)"), limit=20_000)

    validate_position = SubgroupForm.validate_position


class DocumentForm(BaseForm):
    title_lv = _text(_l("Title in Latvian"), _l("Enter the title in Latvian."))
    title_en = _text(_l("Title in English (optional)"))
    file = FileField(_l("File"))


class RoleForm(BaseForm):
    role = RadioField(_l("Role"), choices=choices((role, ROLES[role]) for role in Role.ALL),
                      validators=[InputRequired(message=_l("Choose a role."))])


class UserSearchForm(BaseForm):
    class Meta:
        csrf = False
        locales = False

    q = StringField(_l("Search by e-mail address or name"), filters=[normalise_text],
                    validators=[Optional(), no_nul, max_chars(200)])
