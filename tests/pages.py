"""The public pages of the demo site, as paths without the language prefix."""
DEMO = "social-services-guidelines-2014-2020"
CLOSED = "riga-region-social-services-programme"

PUBLIC_PAGES = [
    "/",
    "/consultations/",
    "/consultations/?status=open",
    "/consultations/?status=closed",
    f"/consultations/{DEMO}/",
    f"/consultations/{DEMO}/sections/1/",
    f"/consultations/{DEMO}/sections/6/",
    f"/consultations/{DEMO}/documents/",
    f"/consultations/{DEMO}/working-group/",
    f"/consultations/{DEMO}/faq/",
    f"/consultations/{CLOSED}/",
    f"/consultations/{CLOSED}/sections/1/",
    "/news/",
    "/news/meeting-with-municipalities-2013/",
    "/faq/",
    "/privacy/",
]


def both_languages(paths=PUBLIC_PAGES):
    return [f"/{lang}{path}" for path in paths for lang in ("lv", "en")]

# What the working group sends to publish the outcome: the introduction in both languages, and the
# "yes" to publishing while some proposals have no answer.
PUBLISH = {"intro_lv": "Darba grupa izskatīja komentārus; atbildes ir zemāk.",
           "intro_en": "The working group considered the comments; the answers are below.",
           "confirm_unanswered": "y"}


def conclude(consultation):
    """Concludes through the editors' status change, as the working group would have left it: with the
    outcome's introduction written in both languages (the step is refused without it)."""
    from consult.services import authoring, responses
    responses.save_outcome_introduction(consultation, PUBLISH["intro_lv"], PUBLISH["intro_en"])
    return authoring.change_status(consultation, "concluded")
