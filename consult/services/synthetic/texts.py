"""The generated texts: Latvian comments from sentence parts, campaign copies, and a letter sent many times with the
usual edits (the set campaign detection is tuned on)."""
from __future__ import annotations

import random

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
