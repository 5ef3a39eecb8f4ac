"""Generated comments on three clearly different subjects, for testing and measuring themes.

Each subject has sentence patterns with slots filled by words in their different forms
("autobuss", "autobusa", "autobusu"; "bērniem", "bērnam", "bērnu"), so the texts of one
subject share their words' keys but seldom a whole sentence, as comments by different
people do. A few sentences that could close a comment on any subject are added at random.
Junk (one word, emoji, another language) is listed apart: it belongs in "other".
"""
from __future__ import annotations

import random
import re

SUBJECTS: dict[str, list[str]] = {
    # Every pattern names the subject's core words in some form, as people writing on it do.
    "transport": [
        "{Seniori|Pensionāri|Skolēni} nevar {aizbraukt līdz|nokļūt līdz} {ārstam|pilsētai|novada centram}, "
        "jo {autobuss kursē reti|autobusi nekursē brīvdienās|autobuss brauc tikai divreiz dienā}.",
        "{Lūdzu|Aicinu} {palielināt|atjaunot} {autobusu reisu|autobusa reisu|autobusu} skaitu "
        "{laukos|mūsu pagastā|starp ciemiem}.",
        "{Autobusa pieturas|Autobusu pieturas|Pieturas autobusam} ir {tālu no mājām|bez nojumēm|"
        "nepieejamas ratiņkrēslā}.",
        "{Sabiedriskais transports|Autobusu satiksme|Sabiedriskā transporta satiksme} {laukos|reģionos|pagastos} "
        "{ir jāuzlabo|jāplāno kopā ar pārvadātājiem|nav pieejama vakaros}.",
        "Bez {autobusa|autobusiem|sabiedriskā transporta} {iedzīvotāji|seniori|jaunieši} paliek "
        "{izolēti|mājās|bez palīdzības}.",
        "{Autobusu|Autobusa} {kustības saraksts|grafiks} {nesakrīt ar|neatbilst} {vilcienu|poliklīnikas|skolas} "
        "{laikiem|darba laikam}.",
    ],
    "children": [
        "{Bērniem|Bērnam|Bērnu ģimenēm} ar invaliditāti {vajag|trūkst} {dienas centra|atelpas brīža "
        "pakalpojuma|asistenta skolā}.",
        "{Dienas centrs|Mūsu dienas centrs} bērniem ar {invaliditāti|smagu invaliditāti} {ir atvērts tikai "
        "divas dienas nedēļā|ir pārpildīts|atrodas pārāk tālu}.",
        "{Vecāki|Mātes|Ģimenes} {nevar strādāt pilnu slodzi|zaudē darbu|paliek bez atbalsta}, jo "
        "{bērns|bērni} ar invaliditāti {nevar palikt viens|prasa pastāvīgu uzraudzību}.",
        "{Invaliditātes|Invaliditāti} {noteikšana|pārbaude} {bērniem|bērnam|bērnu ģimenēm} "
        "{ilgst pārāk ilgi|ir pārāk sarežģīta}.",
        "{Dienas centriem|Dienas centram} bērniem ar invaliditāti {jāsaņem valsts finansējums|"
        "jābūt katrā novadā|vajag vairāk vietu}.",
        "{Bērni|Bērnam|Bērniem} ar invaliditāti {jāvar apmeklēt|vajag} "
        "{rotaļu grupas|pulciņus|nometnes} kopā ar citiem bērniem.",
    ],
    "salaries": [
        "{Sociālo darbinieku|Sociālā darbinieka} {algas ir pārāk zemas|alga ir zemāka nekā "
        "Rīgā|atalgojums neatbilst slodzei}.",
        "{Jaunie sociālie darbinieki|Sociālie darbinieki|Darbinieki} {aiziet no darba|nepaliek dienestos|"
        "pārceļas uz ārzemēm} {zemo algu|mazā atalgojuma|niecīgās algas} dēļ.",
        "{Lūdzu|Aicinu} {noteikt minimālo algu|paaugstināt atalgojumu|palielināt algas} "
        "{sociālajiem darbiniekiem|sociālajam darbiniekam}.",
        "{Virsstundas|Darbs brīvdienās} sociālajiem darbiniekiem {netiek apmaksātas|netiek apmaksāts|"
        "jāapmaksā kā algas pielikums}.",
        "{Sociālajā dienestā|Mūsu dienestā} {trūkst|nepietiek} {darbinieku|sociālo darbinieku}, jo "
        "{alga|atalgojums} ir {maza|mazs|neadekvāts}.",
        "{Atalgojuma|Algu} {pielikums|paaugstinājums} sociālajiem darbiniekiem {jāiekļauj budžetā|"
        "jāparedz jau nākamgad}.",
    ],
}
CLOSINGS = ["Ceru, ka to ņemsiet vērā.", "Paldies par iespēju izteikties.", "Tas ir ļoti svarīgi.", "", "", ""]
JUNK = [
    "👍", "Piekrītu", "+1", "😀😀😀", "Labi!", "???", "", "OK",
    "Согласен с предложением, нужно больше денег на социальные услуги в деревнях.",
    "Ich finde, dass die Regierung viel mehr Geld für soziale Dienste auf dem Land ausgeben sollte, weil viele "
    "ältere Menschen dort allein leben und keine Hilfe bekommen.",
]
_SLOT = re.compile(r"\{([^{}]+)\}")


def _fill(rng: random.Random, pattern: str) -> str:
    return _SLOT.sub(lambda match: rng.choice(match.group(1).split("|")), pattern)


def subject_comment(rng: random.Random, subject: str) -> str:
    """One comment on a subject: one to three of its sentences, sometimes a closing sentence."""
    patterns = rng.sample(SUBJECTS[subject], rng.choice((1, 2, 2, 3)))
    text = " ".join(_fill(rng, pattern) for pattern in patterns)
    closing = rng.choice(CLOSINGS)
    return f"{text} {closing}".strip()


def themed_comments(rng: random.Random, sizes: dict[str, int] | None = None) -> list[tuple[str, str]]:
    """(subject, text) pairs, shuffled: by default twelve comments on each subject."""
    sizes = sizes or {subject: 12 for subject in SUBJECTS}
    pairs = [(subject, subject_comment(rng, subject)) for subject, count in sizes.items() for _ in range(count)]
    rng.shuffle(pairs)
    return pairs
