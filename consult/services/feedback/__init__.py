"""The working group's view of the feedback: memberships, the filtered table, tags and subgroups.

The table mixes comments and positions. A page is chosen with one UNION query over
both (kind, id, date), then each kind is loaded by id with what it shows (author,
section, paragraph, tags, response) in a fixed number of queries, so the cost of a
page does not grow with its size.

The package: membership (the working group, its members and subgroups), filters (what the table can
ask for, as conditions on comments and positions), table (a page of items, loaded by id), bulk (tags
and subgroups given to the selected items).
"""
from __future__ import annotations

from .bulk import (  # noqa: F401
    TAG_MAX_CHARS,
    _own_ids,
    assign_subgroup,
    get_or_create_tag,
    normalise_tag,
    set_on_items,
    tag_items,
    tags,
    untag_items,
)
from .filters import (  # noqa: F401
    ALL_STATUSES,
    DRAFT,
    NOT_ANSWERED,
    PER_PAGE_CHOICES,
    RIGA,
    UNASSIGNED,
    Filters,
    comment_conditions,
    fold,
    paragraph_labels,
    parse_ref,
    position_conditions,
    register_sqlite_fold,
    riga_start,
    sections,
    split_refs,
    text_contains,
)
from .membership import (  # noqa: F401
    add_member,
    consultation_by_slug,
    lead_ids_by_member,
    member,
    member_choices,
    member_consultations,
    member_counts,
    member_section_ids,
    members_of,
    membership,
    remove_member,
    set_member_subgroups,
    subgroup,
    subgroups,
)
from .table import (  # noqa: F401
    COUNT_LIMIT,
    FeedbackItem,
    FeedbackPage,
    all_refs,
    count_items,
    feedback_page,
    items_of,
    load_items,
)
