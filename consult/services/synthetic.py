"""Generated feedback for load tests: `flask --app consult demo --synthetic N`.

Adds N approved comments in Latvian (with diacritics), spread over the open demo
consultation's published sections and paragraphs (or, with `--consultations K`, evenly
over it and K-1 open copies of it), over the days it has been open,
with varied stances and respondent types. A few percent are copies of three campaign
texts (with changed case and punctuation, or one extra word), so campaign detection
has something to find. Authors are 500 generated accounts, reused across runs; they
have no password and cannot sign in. Rows go in a few thousand at a time with their search
index rows: PostgreSQL's COPY (1,000,000 in a few minutes), batched INSERTs on SQLite.
"""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, text

from ..clock import utcnow
from ..extensions import db
from ..models import (
    Channel,
    Comment,
    Consultation,
    ConsultationStatus,
    Paragraph,
    RespondentType,
    SearchEntry,
    Section,
    Stance,
    Status,
    Subgroup,
    User,
    Version,
)
from . import publication, search
from .comments import fingerprint
from .refusals import Refused

DEMO_SLUG = "social-services-guidelines-2014-2020"
USERS = 500
BATCH = 5000
EMAIL_DOMAIN = "synthetic.example.invalid"

OPENERS = [
    "Uzskatu, ka", "Manuprāt,", "Kā sociālā darbiniece varu teikt, ka", "Mūsu pašvaldībā redzam, ka",
    "Ierosinu papildināt tekstu, jo", "Piekrītu, ka", "Nepiekrītu, ka", "Lūdzu precizēt, kāpēc",
    "Būtu svarīgi uzsvērt, ka", "Pieredze Latgalē rāda, ka", "Vecāku biedrības vārdā vēlos uzsvērt, ka",
    "Iedzīvotāji bieži jautā, vai", "Jāņem vērā, ka", "Diemžēl", "Ļoti atbalstu, ka", "Kā pensionāre redzu, ka",
    "Nevalstiskā sektora pieredze liecina, ka", "Aicinu darba grupu ņemt vērā, ka",
]
SUBJECTS = [
    "sociālo pakalpojumu pieejamība laukos", "aprūpe mājās", "dienas centru tīkls", "ģimenes asistenta pakalpojums",
    "atbalsts bērniem ar invaliditāti", "sociālo darbinieku atalgojums", "krīzes centru finansējums",
    "pašvaldību sadarbība ar nevalstiskajām organizācijām", "deinstitucionalizācijas process", "grupu dzīvokļu izveide",
    "transporta pieejamība senioriem", "pakalpojumu kvalitātes uzraudzība", "jauniešu iesaiste lēmumu pieņemšanā",
    "sociālās rehabilitācijas programmas", "atelpas brīža pakalpojums", "mājokļa pabalsta aprēķins",
    "asistenta pakalpojums skolā", "supervīzijas pieejamība speciālistiem", "datu apmaiņa starp iestādēm",
    "brīvprātīgā darba atbalsts", "speciālistu piesaiste reģioniem", "ēdināšana trūcīgām ģimenēm",
    "psihologa konsultācijas pusaudžiem", "alternatīvā aprūpe ārpusģimenes bērniem",
]
PREDICATES = [
    "joprojām ir nepietiekama", "būtu jāpaplašina visos novados", "prasa lielāku valsts finansējumu",
    "jāplāno kopā ar pašvaldībām", "prasa skaidrākus kritērijus", "jāattīsta pakāpeniski līdz 2020. gadam",
    "nedrīkst palikt tikai Rīgā", "jāpielāgo cilvēku patiesajām vajadzībām", "jāvērtē pēc rezultātiem, nevis procesiem",
    "jānodrošina arī nedēļas nogalēs", "šobrīd ir pārāk birokrātiska", "jāsasaista ar nodarbinātības pasākumiem",
    "pelna īpašu uzmanību", "jāiekļauj rīcības plānā ar termiņiem", "varētu saņemt Eiropas fondu līdzekļus",
    "jāpārskata ik pēc diviem gadiem", "dublējas ar citiem pakalpojumiem", "jāpadara saprotamāka iedzīvotājiem",
    "prasa papildu apmācības", "vispirms jāpārbauda pilotprojektā", "nav pieejama cilvēkiem ratiņkrēslā",
]
PLACES = [
    "Rēzeknes", "Jēkabpils", "Cēsu", "Kuldīgas", "Ludzas", "Līvānu", "Smiltenes", "Valmieras", "Daugavpils", "Ogres",
    "Tukuma", "Saldus", "Gulbenes", "Balvu", "Krāslavas", "Preiļu", "Alūksnes", "Limbažu", "Madonas", "Dobeles",
]
DETAILS = [
    "Piemēram, {place} novadā {n} ģimenes gaida rindā vairāk nekā {m} mēnešus.",
    "Mūsu organizācija strādā ar {n} klientiem, un {m} no viņiem to min kā galveno grūtību.",
    "Lūdzu šajā punktā norādīt konkrētu atbildīgo iestādi un termiņu.",
    "Lūdzu pievienot rādītāju, pēc kura varēs izmērīt progresu.",
    "Tas īpaši skar vientuļos senioru mājsaimniecības {place} pusē.",
    "Līdzīgs risinājums jau darbojas {place} novadā, un rezultāti ir labi.",
    "Bez tā pamatnostādnes paliks tikai uz papīra.",
    "Aprēķini rāda, ka tas izmaksātu aptuveni {n} tūkstošus eiro gadā.",
    "Pērn {place} novadā šo pakalpojumu saņēma tikai {n} cilvēki.",
    "Speciālistu trūkums ir jūtams jau {m} gadus pēc kārtas.",
    "Ģimenes ar trim un vairāk bērniem šeit jāmin atsevišķi.",
    "Vajadzētu uzklausīt arī pašus pakalpojuma saņēmējus, ne tikai iestādes.",
    "Ceru, ka darba grupa šo ņems vērā nākamajā redakcijā.",
    "Nav skaidrs, kā tiks nodrošināta pēctecība pēc projekta beigām.",
    "Šķiet, ka tekstā trūkst saiknes ar veselības aprūpes sistēmu.",
    "Ieteiktu izmantot arī kaimiņvalstu, piemēram, Igaunijas, pieredzi.",
]
CAMPAIGNS = [
    "Aicinām saglabāt valsts finansējumu dienas centriem visos novados! Mēs esam pret jebkādu samazinājumu.",
    "Prasām ieviest ģimenes asistenta pakalpojumu katrā pašvaldībā līdz 2016. gadam, jo ģimenes nevar gaidīt.",
    "Lūdzam pamatnostādnēs skaidri noteikt sociālo darbinieku minimālo algu un slodzes apjomu.",
]
CAMPAIGN_SHARE = 0.03
STANCE_WEIGHTS = [(Stance.SUPPORTS, 30), (Stance.OBJECTS, 20), (Stance.PROPOSES, 40), (Stance.ASKS, 10)]
RESPONDENT_WEIGHTS = [(RespondentType.CITIZEN, 60), (RespondentType.ORGANISATION, 15), (RespondentType.MUNICIPALITY, 8),
                      (RespondentType.BUSINESS, 5), (RespondentType.ACADEMIC, 7), (RespondentType.OTHER, 5)]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights)[0]


def _sentence(rng: random.Random) -> str:
    opener = rng.choice(OPENERS)
    subject = rng.choice(SUBJECTS)
    text = f"{opener} {subject} {rng.choice(PREDICATES)}."
    if opener.endswith(","):
        text = text[0].upper() + text[1:]
    return text


def comment_text(rng: random.Random) -> str:
    """One or two statements and one to three details, with numbers and Latvian place names."""
    parts = [_sentence(rng) for _ in range(rng.choice((1, 1, 2)))]
    for template in rng.sample(DETAILS, rng.choice((1, 2, 3))):
        parts.append(template.format(place=rng.choice(PLACES), n=rng.randint(3, 480), m=rng.randint(2, 36)))
    return " ".join(parts)


def campaign_text(rng: random.Random) -> str:
    """A campaign text as people send it: sometimes shouted, re-punctuated or signed."""
    text = rng.choice(CAMPAIGNS)
    variant = rng.random()
    if variant < 0.2:
        text = text.upper()
    elif variant < 0.4:
        text = text.replace("!", ".").replace(",", "")
    elif variant < 0.55:
        text = text + " Paldies."
    return text


# --- A letter sent many times with the usual edits, and comments on the same subject ----------
# The test set campaign detection is tuned on (tests/test_campaigns.py, bench/campaigns.py).

LETTER_GREETING = "Labdien!"
LETTER_BODY = [
    "Es, trīs bērnu māte no Ludzas novada, rakstu par dienas centriem bērniem ar invaliditāti.",
    "Mūsu novadā vienīgais dienas centrs ir atvērts tikai divas dienas nedēļā.",
    "Vecākiem tas nozīmē, ka viņi nevar strādāt pilnu darba laiku un zaudē ienākumus.",
    "Aicinu pamatnostādnēs noteikt, ka katrā novadā dienas centram jābūt atvērtam vismaz piecas dienas nedēļā.",
    "Valstij jāsedz vismaz puse no šo centru izmaksām, jo mazās pašvaldības to vienas nespēj.",
    "Bez tā ģimenes ar bērniem ar invaliditāti turpinās pamest laukus.",
]
LETTER_SIGNATURE = "Ar cieņu, Ilze Kalniņa"
GREETINGS = ["Sveiki!", "Cienījamā darba grupa!", "Labdien, godātie kolēģi!", "Labdien.", ""]
SIGNATURES = ["Ar cieņu, Jānis Bērziņš", "Paldies! Anna no Rēzeknes", "Ar cieņu, Pēteris Ozols, Krāslava",
              "Māris", "", "Ar cieņu, Līga Kalniņa, biedrības “Saulīte” valdes locekle"]
ADDED_SENTENCES = [
    "Arī mūsu kaimiņi saskaras ar to pašu problēmu.",
    "Mans dēls centru apmeklē jau piecus gadus.",
    "Līdz tuvākajam citam centram ir sešdesmit kilometru.",
    "Lūdzu, uztveriet šo jautājumu nopietni.",
]


def _typo(rng: random.Random, sentence: str) -> str:
    """One letter dropped, doubled or swapped with its neighbour in one longer word."""
    words = sentence.split(" ")
    long_words = [i for i, word in enumerate(words) if len(word) > 5]
    index = rng.choice(long_words)
    word = words[index]
    at = rng.randrange(1, len(word) - 2)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        word = word[:at] + word[at + 1:]
    elif kind == "double":
        word = word[:at] + word[at] + word[at:]
    else:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    words[index] = word
    return " ".join(words)


EDITS = ("greeting", "signature", "typo", "added", "swapped", "dropped")


def edited_copy(rng: random.Random, edits) -> str:
    """The letter with the given edits (names from EDITS) applied."""
    greeting, body, signature = LETTER_GREETING, list(LETTER_BODY), LETTER_SIGNATURE
    if "greeting" in edits:
        greeting = rng.choice(GREETINGS)
    if "signature" in edits:
        signature = rng.choice(SIGNATURES)
    if "swapped" in edits:
        at = rng.randrange(len(body) - 1)
        body[at], body[at + 1] = body[at + 1], body[at]
    if "dropped" in edits:
        del body[rng.randrange(len(body))]
    if "added" in edits:
        body.insert(rng.randrange(len(body) + 1), rng.choice(ADDED_SENTENCES))
    if "typo" in edits:
        at = rng.randrange(len(body))
        body[at] = _typo(rng, body[at])
    return "\n\n".join(part for part in (greeting, " ".join(body), signature) if part)


def edited_copies(rng: random.Random, count: int = 30) -> list[str]:
    """`count` copies of the letter: the first as written, then each edit alone, then two or three at once."""
    copies = [edited_copy(rng, ())] + [edited_copy(rng, (edit,)) for edit in EDITS]
    while len(copies) < count:
        copies.append(edited_copy(rng, rng.sample(EDITS, rng.choice((2, 2, 3)))))
    return copies[:count]


def same_subject_comments(rng: random.Random, count: int = 30, subject: str = "dienas centru tīkls") -> list[str]:
    """`count` comments of different people on one subject: each its own opinion and details."""
    texts = []
    predicates = rng.sample(PREDICATES, len(PREDICATES))
    for index in range(count):
        opener = rng.choice(OPENERS)
        first = f"{opener} {subject} {predicates[index % len(predicates)]}."
        if opener.endswith(","):
            first = first[0].upper() + first[1:]
        parts = [first, _sentence(rng)]
        for template in rng.sample(DETAILS, rng.choice((1, 2))):
            parts.append(template.format(place=rng.choice(PLACES), n=rng.randint(3, 480), m=rng.randint(2, 36)))
        texts.append(" ".join(parts))
    return texts


def _consultation() -> Consultation:
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == DEMO_SLUG,
                                                                Consultation.status == ConsultationStatus.OPEN))
    if consultation is None:
        consultation = db.session.scalar(select(Consultation).where(Consultation.status == ConsultationStatus.OPEN)
                                         .order_by(Consultation.id).limit(1))
    if consultation is None:
        raise Refused("synthetic.no_consultation", command="flask --app consult demo")
    return consultation


def copy_slug(source: Consultation, number: int) -> str:
    return f"{source.slug}-copy-{number}"[:120]


def _copy_of(source: Consultation, number: int) -> Consultation:
    """An open copy of the consultation (its current text, sections and subgroups), for loads spread over several.

    Made through the ORM, so the search index gets its consultation and section rows as usual."""
    slug = copy_slug(source, number)
    existing = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    if existing is not None:
        return existing
    version = publication.current_version(source)
    copy = Consultation(
        slug=slug, status=ConsultationStatus.OPEN, moderation_mode=source.moderation_mode,
        title_lv=f"{source.title_lv} ({number})", title_en=f"{source.title_en} ({number})",
        summary_lv=source.summary_lv, summary_en=source.summary_en, institution_lv=source.institution_lv,
        institution_en=source.institution_en, opens_at=source.opens_at, closes_at=source.closes_at)
    new_version = None
    if version is not None:
        new_version = Version(number=1, change_note_lv=version.change_note_lv, change_note_en=version.change_note_en,
                              published_at=version.published_at)
        copy.versions.append(new_version)
    sections = {}
    for section in source.sections:
        new = Section(number=section.number, title_lv=section.title_lv, title_en=section.title_en,
                      published_at=section.published_at)
        copy.sections.append(new)
        sections[section.id] = new
    if version is not None:
        for paragraph in db.session.scalars(select(Paragraph).where(Paragraph.version_id == version.id)
                                            .order_by(Paragraph.section_id, Paragraph.number)):
            if paragraph.section_id in sections:
                sections[paragraph.section_id].paragraphs.append(Paragraph(
                    number=paragraph.number, version=new_version, text_lv=paragraph.text_lv,
                    text_en=paragraph.text_en))
    for subgroup in source.subgroups:
        copy.subgroups.append(Subgroup(
            position=subgroup.position, name_lv=subgroup.name_lv, name_en=subgroup.name_en,
            description_lv=subgroup.description_lv, description_en=subgroup.description_en,
            sections=[sections[s.id] for s in subgroup.sections if s.id in sections]))
    db.session.add(copy)
    db.session.commit()
    return copy


@dataclass
class _Target:
    """Where generated comments go in one consultation, and over which span of time."""
    consultation: Consultation
    version_id: int | None
    sections: list[Section]
    paragraphs: dict[int, list[int]]
    start: datetime
    span: int


def _target(consultation: Consultation, now: datetime) -> _Target:
    version = publication.current_version(consultation)
    sections = publication.published_sections(consultation, now)
    if not sections:
        raise Refused("synthetic.no_section")
    paragraphs: dict[int, list[int]] = {s.id: [] for s in sections}
    if version is not None:
        for paragraph_id, section_id in db.session.execute(select(Paragraph.id, Paragraph.section_id).where(
                Paragraph.version_id == version.id, Paragraph.section_id.in_(list(paragraphs)))).all():
            paragraphs[section_id].append(paragraph_id)
    start = consultation.opens_at if consultation.opens_at and consultation.opens_at < now else now - timedelta(days=30)
    end = min(now, consultation.closes_at) if consultation.closes_at and consultation.closes_at > start else now
    return _Target(consultation, version.id if version else None, sections, paragraphs, start,
                   max(1, int((end - start).total_seconds())))


def _users(rng: random.Random) -> list[int]:
    """The ids of the generated authors, creating whichever of the 500 are missing."""
    emails = [f"synthetic-{i:04d}@{EMAIL_DOMAIN}" for i in range(1, USERS + 1)]
    existing = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).all())
    now = utcnow()
    missing = [
        {"email": email, "display_name": f"Dalībnieks {index:04d}", "password_hash": "", "role": "citizen",
         "respondent_type": _weighted(rng, RESPONDENT_WEIGHTS), "language": "lv", "consent_at": now,
         "email_confirmed_at": now, "created_at": now, "session_token": secrets.token_urlsafe(24)}
        for index, email in enumerate(emails, start=1) if email not in existing]
    if missing:
        db.session.execute(insert(User), missing)
        existing = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).all())
    return [existing[email] for email in emails]


COMMENT_COLUMNS = ("id", "consultation_id", "section_id", "version_id", "paragraph_id", "author_id", "stance", "body",
                   "language", "show_name", "status", "needs_review", "fingerprint", "idempotency_key", "created_at",
                   "moderated_at", "channel")
ENTRY_COLUMNS = ("kind", "object_id", "consultation_id", "section_id", "lang", "title", "text", "folded",
                 "visible_from", "visible_until")


def _next_ids(connection, count: int) -> list[int]:
    """Ids for the next `count` comments, so their search index rows can go in with them."""
    if connection.dialect.name == "postgresql":
        return list(connection.scalars(text("SELECT nextval(pg_get_serial_sequence('comments', 'id')) "
                                            "FROM generate_series(1, :n)"), {"n": count}))
    first = (connection.scalar(select(func.max(Comment.id))) or 0) + 1   # one writer: the demo command
    return list(range(first, first + count))


def _write(connection, table, columns, rows: list[dict]) -> None:
    """PostgreSQL's COPY (several times faster than INSERTs at this size); batched INSERTs elsewhere."""
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    with connection.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[column] for column in columns])


def add_synthetic_comments(count: int, seed: int | None = None, progress=None, consultations: int = 1) -> int:
    """Adds `count` approved comments to the open demo consultation, or spread evenly over it and
    `consultations - 1` open copies of it; returns how many were added. They go into the search index too."""
    if count <= 0:
        return 0
    rng = random.Random(seed if seed is not None else secrets.randbits(32))
    source = _consultation()
    now = utcnow()
    chosen = [source] + [_copy_of(source, number) for number in range(2, max(1, consultations) + 1)]
    targets = [_target(consultation, now) for consultation in chosen]
    users = _users(rng)
    connection = db.session.connection()
    added = 0
    while added < count:
        size = min(BATCH, count - added)
        rows, entries = [], []
        for index, comment_id in enumerate(_next_ids(connection, size)):
            target = targets[(added + index) % len(targets)]
            section = rng.choice(target.sections)
            in_campaign = rng.random() < CAMPAIGN_SHARE
            body = campaign_text(rng) if in_campaign else comment_text(rng)
            choices = target.paragraphs[section.id]
            created = target.start + timedelta(seconds=rng.randrange(target.span))
            rows.append({
                "id": comment_id, "consultation_id": target.consultation.id, "section_id": section.id,
                "version_id": target.version_id,
                "paragraph_id": rng.choice(choices) if choices and rng.random() < 0.6 else None,
                "author_id": rng.choice(users),
                "stance": Stance.OBJECTS if in_campaign else _weighted(rng, STANCE_WEIGHTS),
                "body": body, "language": "lv", "show_name": rng.random() < 0.5, "status": Status.APPROVED,
                "needs_review": False, "fingerprint": fingerprint(body),
                "idempotency_key": "synthetic-" + secrets.token_hex(12),
                "created_at": created, "moderated_at": min(now, created + timedelta(minutes=rng.randint(5, 600))),
                "channel": Channel.WEB,
            })
            entries.append(search.comment_entry(comment_id, body, "lv", target.consultation.id, section.id,
                                                section.published_at))
        _write(connection, Comment.__table__, COMMENT_COLUMNS, rows)
        _write(connection, SearchEntry.__table__, ENTRY_COLUMNS, entries)
        db.session.commit()
        connection = db.session.connection()
        added += size
        if progress:
            progress(size)
    return added

