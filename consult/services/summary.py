"""Summaries of a consultation's feedback, for the working group (usable while it runs).

The figures come from GROUP BY queries, so their cost does not grow with the number
of comments. Campaigns and keywords need the texts: one streamed pass over the
approved comments, done by a background job (consult.services.jobs) whose result is
kept with the job, and remembered per process until a comment is added or moderated.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import cast, func, literal_column, select
from sqlalchemy.dialects.postgresql import JSONB

from .. import pagecache
from ..extensions import db
from ..models import (
    Channel,
    Comment,
    Consultation,
    Organisation,
    Paragraph,
    Poll,
    Position,
    RespondentType,
    Section,
    Stance,
    Status,
    User,
)
from ..models.job import Job, JobStatus
from . import campaigns as campaign_service
from . import jobs, polls, responses
from .keywords import KeywordCounter

RIGA = ZoneInfo("Europe/Riga")
UTC = ZoneInfo("UTC")
KEYWORDS_PER_SECTION = 10
CAMPAIGNS_SHOWN = 20


@dataclass
class TextAnalysis:
    campaigns: list[campaign_service.Campaign]
    keywords: dict[int, list[tuple[str, int]]]      # section id → [(word, count)]
    distinct_by_section: dict[int, int]             # section id → comments when each campaign counts once


@dataclass
class Summary:
    consultation: Consultation
    comments: int
    distinct_comments: int
    positions: int
    participants: int
    per_day: list[tuple[date, int]]
    by_section: list[tuple[Section, int, int]]          # section, comments, distinct (campaigns once)
    by_paragraph: list[tuple[str, int]]
    by_stance: list[tuple[str, int]]
    by_respondent: list[tuple[str, int]]
    by_channel: list[tuple[str, int]]                   # web and each offline channel, counted apart
    positions_by_kind: list[tuple[str, int]]
    polls: list[tuple[Poll, polls.PollResult]]
    moderation: dict[str, int]
    rejected_by_reason: list[tuple[str, int]]
    hidden_by_reason: list[tuple[str, int]]
    keywords: dict[int, list[tuple[str, int]]]
    campaigns: list[tuple[campaign_service.Campaign, list[Section]]]
    campaign_count: int
    answers: responses.AnswerCounts
    sections: list[Section] = field(default_factory=list)

    @property
    def offline_comments(self) -> int:
        """Published comments that came by letter, e-mail or at a meeting."""
        return sum(count for channel, count in self.by_channel if channel != Channel.WEB)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _hour_bucket(column):
    """The UTC hour of a timestamp as text 'YYYY-MM-DD HH', in SQL on SQLite and PostgreSQL."""
    if _dialect() == "postgresql":
        return func.to_char(column, "YYYY-MM-DD HH24")
    return func.strftime("%Y-%m-%d %H", column)


def _per_day(consultation: Consultation) -> list[tuple[date, int]]:
    """Approved comments and positions per Riga calendar day, every day from the first to the last."""
    counts: dict[date, int] = defaultdict(int)
    for model in (Comment, Position):
        bucket = _hour_bucket(model.created_at)
        rows = db.session.execute(select(bucket, func.count()).where(
            model.consultation_id == consultation.id, model.status == Status.APPROVED).group_by(bucket)).all()
        for hour, count in rows:
            if not hour:
                continue
            moment = datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=UTC).astimezone(RIGA)
            counts[moment.date()] += count
    if not counts:
        return []
    first, last = min(counts), max(counts)
    days = []
    day = first
    while day <= last:
        days.append((day, counts.get(day, 0)))
        day += timedelta(days=1)
    return days


_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()
_CACHE_SIZE = 8


def change_marker(consultation: Consultation) -> tuple | None:
    """A cheap value that changes whenever any comment or position may have: the page cache's content
    generation (bumped by every change of one, consult.pagecache) and the newest ids (a new pending
    one does not bump it). Two primary-key lookups, where counting a consultation's comments reads
    all of them. None when the generation is unknown (Redis down) or was never bumped ("0": a new
    database could then repeat an old one's marker)."""
    generation = pagecache.generation(current_app)
    if generation in ("", "0"):
        return None
    newest = db.session.execute(select(select(func.max(Comment.id)).scalar_subquery(),
                                       select(func.max(Position.id)).scalar_subquery())).one()
    return (consultation.id, generation, *newest)


_signatures: OrderedDict = OrderedDict()   # change marker → text signature


def _text_signature(consultation: Consultation) -> tuple:
    marker = change_marker(consultation)
    with _cache_lock:
        if marker is not None and marker in _signatures:
            return _signatures[marker]
    signature = _full_text_signature(consultation)
    if marker is not None:
        with _cache_lock:
            _signatures[marker] = signature
            while len(_signatures) > _CACHE_SIZE:
                _signatures.popitem(last=False)
    return signature


def _full_text_signature(consultation: Consultation) -> tuple:
    row = db.session.execute(select(func.count(Comment.id), func.max(Comment.id), func.max(Comment.moderated_at),
                                    func.max(Comment.edited_at))
                             .where(Comment.consultation_id == consultation.id,
                                    Comment.status == Status.APPROVED)).one()
    return (consultation.id, *[str(value) for value in row])


def _compute_texts(consultation: Consultation, progress=None) -> TextAnalysis:
    """Campaigns and keywords of the approved comments, read in one streamed pass."""
    items = []
    languages: dict[int, str] = {}
    result = db.session.execute(
        select(Comment.id, Comment.section_id, Comment.body, Comment.language)
        .where(Comment.consultation_id == consultation.id, Comment.status == Status.APPROVED)
        .order_by(Comment.created_at, Comment.id).execution_options(yield_per=2000))
    for row in result:
        items.append((row.id, row.section_id, row.body))
        languages[row.id] = row.language
    if progress is not None:
        progress.step(10, 85)
    found = campaign_service.find_campaigns(items, progress=progress)
    if progress is not None:
        progress.step(85, 99)
    in_campaign = campaign_service.campaign_of(found)
    counter = KeywordCounter()
    distinct: dict[int, int] = defaultdict(int)
    counted: set[tuple[int, int]] = set()   # (campaign, section) already counted
    for item_id, section_id, body in items:
        campaign = in_campaign.get(item_id)
        if campaign is not None:
            key = (id(campaign), section_id)
            if key in counted:
                continue  # a campaign counts once per section: only its first text there is read
            counted.add(key)
        distinct[section_id] += 1
        counter.add(section_id, body, languages[item_id])
    return TextAnalysis(found, {s: counter.top(s, KEYWORDS_PER_SECTION) for s in counter.counts}, dict(distinct))


# No campaigns or keywords yet: the summary page before the first background analysis.
NOTHING_YET = TextAnalysis([], {}, {})


def _remember(signature: tuple, analysis: TextAnalysis) -> None:
    with _cache_lock:
        _cache[signature] = analysis
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def _as_json(signature: tuple, analysis: TextAnalysis) -> dict:
    """A text analysis as a job's result. The campaigns' texts stay in the comments table."""
    return {"signature": list(signature),
            "campaigns": [{"ids": c.ids, "text": c.text, "section": c.section, "sections": list(c.sections),
                           "model_id": c.model_id} for c in analysis.campaigns],
            "keywords": [[section, words] for section, words in analysis.keywords.items()],
            "distinct": [[section, count] for section, count in analysis.distinct_by_section.items()]}


def _from_json(data: dict) -> TextAnalysis:
    campaigns = [campaign_service.Campaign(ids=c["ids"], text=c["text"], section=c["section"],
                                           sections=tuple(c["sections"]), model_id=c["model_id"])
                 for c in data["campaigns"]]
    return TextAnalysis(campaigns, {section: [tuple(pair) for pair in words] for section, words in data["keywords"]},
                        {section: count for section, count in data["distinct"]})


def _stored(consultation: Consultation) -> tuple[Job | None, TextAnalysis | None, tuple | None]:
    """The newest finished job, its analysis and the signature of the comments it read. A finished
    job's result never changes, so it is parsed once per process, not on every request (at a million
    comments that JSON lists every campaign's member ids)."""
    job = jobs.latest(consultation, jobs.TEXTS, status=JobStatus.DONE)
    if job is None:
        return None, None, None
    key = ("job", job.id, hash(job.result))   # ids come back after a database is emptied; results differ
    with _cache_lock:
        kept = _cache.get(key)
    if kept is None:
        data = jobs.result_of(job)
        kept = (_from_json(data), tuple(data["signature"])) if data else (None, None)
        _remember(key, kept)
    return job, *kept


# Approved comments up to which the analysis may be worked out where it is asked for (about a second);
# past it only a background job works it out, never a web request.
INLINE_LIMIT = 5_000


def analyse_texts(consultation: Consultation, wait: bool = False) -> TextAnalysis:
    """Campaigns and keywords of the approved comments: remembered per process, or the background
    job's result when the comments have not changed since, or worked out here for a small
    consultation (or with `wait`, as the commands do). Otherwise a background job is started and
    its last result (or none yet) stands in until it is done, so a page or an export never waits
    minutes for a million texts."""
    signature = _text_signature(consultation)
    with _cache_lock:
        if signature in _cache:
            _cache.move_to_end(signature)
            return _cache[signature]
    job, stored, read = _stored(consultation)
    if stored is not None and read == signature:
        analysis = stored
    elif wait or int(signature[1]) <= INLINE_LIMIT:
        analysis = _compute_texts(consultation)
    else:
        state = text_state(consultation, stored=(job, stored, read))
        if state.current:   # the inline runner has just worked it out
            analysis = state.analysis
        else:
            return state.analysis or NOTHING_YET   # not remembered: the next request looks again
    _remember(signature, analysis)
    return analysis


def _stored_members(consultation: Consultation) -> tuple[tuple | None, list | None]:
    """The signature and each campaign's member ids from the newest finished "texts" job's result."""
    done = select(Job.result).where(Job.consultation_id == consultation.id, Job.kind == jobs.TEXTS,
                                    Job.scope == "all", Job.status == JobStatus.DONE).order_by(Job.id.desc()).limit(1)
    if db.session.get_bind().dialect.name == "postgresql":
        # PostgreSQL picks the ids out, so the model texts never leave the database.
        stored = done.subquery()
        parsed = cast(stored.c.result, JSONB)
        row = db.session.execute(select(parsed["signature"], func.jsonb_path_query_array(
            parsed, literal_column("'$.campaigns[*].ids'::jsonpath"))).select_from(stored)).first()
        return (tuple(row[0]), row[1]) if row is not None else (None, None)
    result = db.session.scalar(done)
    if not result:
        return None, None
    # Each campaign's object becomes its member ids as it is read, so its text is let go at once.
    data = json.loads(result, object_hook=lambda value: value["ids"] if "ids" in value else value)
    return tuple(data["signature"]), data["campaigns"]


def campaign_members(consultation: Consultation) -> dict[int, int]:
    """Comment id → the id of its campaign, for the exports. From the analysis this process keeps, or
    else read from the background job's stored result without the campaigns' model texts (at a million
    comments those are tens of MB that an export never shows), or else as analyse_texts gives it.
    Past INLINE_LIMIT an out-of-date result stands in, as in analyse_texts; the job that brings it up
    to date is started by the pages that show campaigns (the export page among them)."""
    signature = _text_signature(consultation)
    with _cache_lock:
        kept = _cache.get(signature)
    found = kept.campaigns if kept is not None else None
    if found is None:
        signature_read, members = _stored_members(consultation)
        if members is not None and (signature_read == signature or int(signature[1]) > INLINE_LIMIT):
            return {member: ids[0] for ids in members for member in ids}
        found = analyse_texts(consultation).campaigns
    return {member: campaign.ids[0] for campaign in found for member in campaign.ids}


def load_texts(campaign: campaign_service.Campaign, ids) -> None:
    """Fills in the texts of these members of a campaign that came from a stored result."""
    missing = [item_id for item_id in ids if item_id not in campaign.texts]
    for start in range(0, len(missing), 1000):
        campaign.texts.update(db.session.execute(select(Comment.id, Comment.body).where(
            Comment.id.in_(missing[start:start + 1000]))).all())


def run_job(job: Job, progress) -> dict:
    """The "texts" job: campaigns and keywords of the whole consultation, for the summary page."""
    consultation = db.session.get(Consultation, job.consultation_id)
    signature = _text_signature(consultation)   # taken first: a comment added meanwhile makes it stale
    analysis = _compute_texts(consultation, progress)
    _remember(signature, analysis)
    return _as_json(signature, analysis)


@dataclass
class TextState:
    """What the summary page shows of the campaigns and keywords."""
    analysis: TextAnalysis | None   # the last result, None before the first
    computed_at: datetime | None
    current: bool                   # the comments have not changed since
    job: Job | None                 # the job working them out again, queued or running
    failed: bool                    # the last attempt failed


def text_state(consultation: Consultation, user_id: int | None = None, start: bool = True,
               stored: tuple | None = None) -> TextState:
    """The last campaigns and keywords; when the comments changed since, a job is started to work
    them out again (unless one runs, or the last attempt on these comments failed). `stored` is what
    _stored() gave, when the caller has just read it."""
    signature = _text_signature(consultation)
    done, analysis, read = stored or _stored(consultation)
    current = done is not None and read == signature
    running = jobs.active(consultation, jobs.TEXTS)
    last = jobs.latest(consultation, jobs.TEXTS)
    failed = last is not None and last.status == JobStatus.FAILED
    if start and not current and running is None and not failed:
        running = jobs.enqueue(consultation, jobs.TEXTS, user_id=user_id)
        if not running.active:   # it ran at once (the inline runner)
            return text_state(consultation, user_id, start=False)
    return TextState(analysis, done.finished_at if done else None, current, running, failed and running is None)


def _ordered(rows, order) -> list[tuple[str, int]]:
    counts = dict(rows)
    known = [(code, counts.get(code, 0)) for code in order]
    extra = [(code, count) for code, count in counts.items() if code not in order]
    return known + extra


_figures: OrderedDict = OrderedDict()   # change marker → the counted figures of build_summary


def build_summary(consultation: Consultation, analysis: TextAnalysis | None = None) -> Summary:
    """The figures, with the campaigns and keywords of `analysis`: worked out here when not given, none
    with NOTHING_YET (the summary page passes the background job's last result: see text_state). The
    counts are remembered per process until a comment or position changes (change_marker), as a dozen
    GROUP BYs over a consultation's million comments take seconds."""
    marker = change_marker(consultation)
    with _cache_lock:
        figures = _figures.get(marker) if marker is not None else None
    if figures is None:
        figures = _count_figures(consultation)
        if marker is not None:
            with _cache_lock:
                _figures[marker] = figures
                while len(_figures) > _CACHE_SIZE:
                    _figures.popitem(last=False)
    sections = list(db.session.scalars(select(Section).where(Section.consultation_id == consultation.id)
                                       .order_by(Section.number)))
    poll_list = [(poll, polls.results(poll)) for poll in polls.consultation_polls(consultation)]
    comments, section_counts = figures["comments"], figures["section_counts"]
    if analysis is None:
        analysis = analyse_texts(consultation)
    elif analysis is NOTHING_YET:   # before the first analysis every comment counts as distinct
        analysis = TextAnalysis([], {}, dict(section_counts))
    section_by_id = {s.id: s for s in sections}
    distinct_total = campaign_service.distinct_count(comments, analysis.campaigns)
    reasons = figures["reasons"]
    return Summary(
        consultation=consultation, comments=comments, distinct_comments=distinct_total,
        positions=figures["positions"], participants=figures["participants"], per_day=figures["per_day"],
        by_section=[(s, section_counts.get(s.id, 0), analysis.distinct_by_section.get(s.id, 0)) for s in sections],
        by_paragraph=figures["by_paragraph"],
        by_stance=figures["by_stance"], by_respondent=figures["by_respondent"], by_channel=figures["by_channel"],
        positions_by_kind=figures["positions_by_kind"],
        polls=poll_list, moderation=dict(figures["moderation"]),
        rejected_by_reason=sorted(reasons[Status.REJECTED].items(), key=lambda r: (-r[1], r[0])),
        hidden_by_reason=sorted(reasons[Status.HIDDEN].items(), key=lambda r: (-r[1], r[0])),
        keywords=analysis.keywords,
        campaigns=[(c, [section_by_id[s] for s in c.sections if s in section_by_id])
                   for c in analysis.campaigns[:CAMPAIGNS_SHOWN]],
        campaign_count=len(analysis.campaigns),
        answers=responses.answer_counts(consultation),
        sections=sections,
    )


def _count_figures(consultation: Consultation) -> dict:
    """The summary's counts of comments and positions (plain values, safe to keep between requests)."""
    approved_comment = (Comment.consultation_id == consultation.id, Comment.status == Status.APPROVED)
    approved_position = (Position.consultation_id == consultation.id, Position.status == Status.APPROVED)
    comments = db.session.scalar(select(func.count(Comment.id)).where(*approved_comment)) or 0
    positions = db.session.scalar(select(func.count(Position.id)).where(*approved_position)) or 0
    # People with an account; offline submissions share one placeholder author and count in by_channel.
    authors = select(Comment.author_id).where(*approved_comment, Comment.channel == Channel.WEB).union(
        select(Position.author_id).where(*approved_position)).subquery()
    participants = db.session.scalar(select(func.count()).select_from(authors)) or 0
    section_counts = dict(db.session.execute(select(Comment.section_id, func.count()).where(*approved_comment)
                                             .group_by(Comment.section_id)).all())
    paragraph_rows = db.session.execute(
        select(Section.number, Paragraph.number, func.count(Comment.id))
        .join(Paragraph, Paragraph.id == Comment.paragraph_id).join(Section, Section.id == Paragraph.section_id)
        .where(*approved_comment).group_by(Section.number, Paragraph.number)
        .order_by(Section.number, Paragraph.number)).all()
    by_stance = _ordered(db.session.execute(select(Comment.stance, func.count()).where(*approved_comment)
                                            .group_by(Comment.stance)).all(), Stance.ALL)
    respondent = func.coalesce(Comment.sender_type, User.respondent_type)   # an offline sender's own type
    by_respondent = _ordered(db.session.execute(
        select(respondent, func.count(Comment.id)).join(User, User.id == Comment.author_id)
        .where(*approved_comment).group_by(respondent)).all(), RespondentType.ALL)
    by_channel = _ordered(db.session.execute(select(Comment.channel, func.count()).where(*approved_comment)
                                             .group_by(Comment.channel)).all(), Channel.ALL)
    positions_by_kind = db.session.execute(
        select(Organisation.kind, func.count(Position.id))
        .join(Organisation, Organisation.id == Position.organisation_id)
        .where(*approved_position).group_by(Organisation.kind).order_by(Organisation.kind)).all()
    moderation: dict[str, int] = defaultdict(int)
    for model in (Comment, Position):
        for status, count in db.session.execute(select(model.status, func.count()).where(
                model.consultation_id == consultation.id).group_by(model.status)).all():
            moderation[status] += count
    moderation["received"] = sum(moderation[s] for s in Status.ALL)
    reasons: dict[str, dict[str, int]] = {Status.REJECTED: defaultdict(int), Status.HIDDEN: defaultdict(int)}
    for model in (Comment, Position):
        for status, reason, count in db.session.execute(
                select(model.status, model.moderation_reason, func.count())
                .where(model.consultation_id == consultation.id,
                       model.status.in_((Status.REJECTED, Status.HIDDEN)))
                .group_by(model.status, model.moderation_reason)).all():
            reasons[status][reason or "other"] += count
    return {
        "comments": comments, "positions": positions, "participants": participants, "per_day": _per_day(consultation),
        "section_counts": section_counts, "by_paragraph": [(f"{s}.{p}", count) for s, p, count in paragraph_rows],
        "by_stance": by_stance, "by_respondent": by_respondent, "by_channel": by_channel,
        "positions_by_kind": [(kind, count) for kind, count in positions_by_kind],
        "moderation": dict(moderation), "reasons": {status: dict(counts) for status, counts in reasons.items()},
    }

