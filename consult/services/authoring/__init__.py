"""What editors do: consultations, their status, sections, paragraphs, versions, imports,
subgroups, news, FAQ, documents and (admins only) people's roles.

Plain functions on plain values; each one that changes something commits, and
refuses with `Refused("authoring.…")` when the change would break a rule.

The package: common (lookups by id, a commit that refuses), consultations (and their status and
subgroups), versions (and importing a draft into one), sections (and their paragraphs), content
(news, FAQ, documents), people (users and roles).
"""
from __future__ import annotations

from .consultations import (  # noqa: F401
    CONSULTATION_FIELDS,
    STATUS_STEPS,
    SubgroupUse,
    all_consultations,
    change_status,
    consultation,
    create_consultation,
    delete_subgroup,
    has_outcome_introduction,
    save_subgroup,
    slug_taken,
    subgroup,
    subgroup_use,
    update_consultation,
)
from .content import (  # noqa: F401
    add_document,
    all_faq,
    all_news,
    delete_document,
    delete_faq,
    delete_news,
    document,
    documents,
    faq_item,
    news_item,
    news_slug_taken,
    save_faq,
    save_news,
)
from .people import (  # noqa: F401
    USERS_PER_PAGE,
    change_role,
    search_users,
    user,
)
from .sections import (  # noqa: F401
    add_paragraph,
    add_section,
    delete_last_paragraph,
    delete_section,
    paragraph,
    paragraphs,
    publish_section_now,
    section,
    section_number_taken,
    section_paragraph_counts,
    sections,
    update_paragraph,
    update_section,
)
from .versions import (  # noqa: F401
    CREATE,
    FILL,
    REPLACE,
    ImportPlan,
    apply_import,
    draft_version,
    has_text,
    import_plan,
    latest_version,
    publish_version,
    start_version,
    titles_kept,
    update_change_note,
    version,
    version_paragraph_counts,
    versions,
)
