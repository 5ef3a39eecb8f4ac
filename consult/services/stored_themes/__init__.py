"""Themes as the working group sees them: worked out, stored, edited, and worked out again.

consult.services.themes groups texts; this module keeps its result in the theme tables
(consult.models.theme) for a scope, the whole consultation or one section, and lets
members rename a theme, merge two and move comments or positions between themes.

Working the themes out again keeps those edits:

* each newly found theme is matched to the stored theme that most of its members were in
  before (among the members that were in a theme other than "other"), when that is at
  least half of them; it then keeps the stored theme's id and name, and only its key
  phrases are renewed. Several new themes matched to one stored theme join it again, so
  a merge stays a merge and a theme the computation would now split stays whole;
* members a person moved stay in the theme they were moved to;
* a stored theme that nothing matches and nobody moved anything into disappears.

The package: lookup (scopes, theme sets and themes by id), recomputing (working the themes out
again, as a job too), editing (rename, merge, move), pages (what the summary and theme pages show).
"""
from __future__ import annotations

from .editing import (  # noqa: F401
    merge,
    move,
    normalise_name,
    rename,
)
from .lookup import (  # noqa: F401
    LABEL_PHRASES,
    WHOLE,
    consultation_themes,
    default_label,
    scope_of,
    theme,
    theme_set,
)
from .pages import (  # noqa: F401
    MEMBERS_PER_PAGE,
    ItemTheme,
    ItemThemes,
    MemberPage,
    Overview,
    Quote,
    ThemeView,
    display_label,
    labels_by_item,
    member_ids,
    members_page,
    overview,
    set_themes,
    views,
)
from .recomputing import (  # noqa: F401
    INSERT_BATCH,
    MATCH_SHARE,
    Recomputed,
    recompute,
    run_job,
    section_of_scope,
)
