"""The content model (SPEC §2). Import every model here so Alembic sees them all."""
from .audit import ModerationEvent
from .comment import Channel, Comment, Reason, Report, Stance, Status
from .consultation import Consultation, ConsultationStatus, Paragraph, Section, Subgroup, Version
from .content import Document, FaqItem, NewsItem
from .follow import ConsultationEvent, EventKind, Follow
from .identity import LinkedIdentity
from .job import Job, JobStatus
from .organisation import Organisation, OrganisationKind, Position, PositionSignature
from .outbox import OutboxMessage  # noqa: F401  (only registers its table)
from .poll import Poll, PollOption, PollResults, PollVoters, Vote
from .search import SearchEntry, SearchKind
from .setting import Setting
from .theme import Theme, ThemeMember, ThemeSet
from .user import RecoveryCode, RespondentType, Role, User
from .workgroup import Decision, Response, ResponseStatus, Tag, WorkgroupMember

__all__ = [
    "Consultation", "ConsultationStatus", "Version", "Section", "Paragraph", "Subgroup",
    "NewsItem", "FaqItem", "Document", "User", "Role", "RespondentType", "RecoveryCode",
    "Channel", "Comment", "Reason", "Report", "Stance", "Status", "ModerationEvent",
    "Poll", "PollOption", "PollResults", "PollVoters", "Vote", "Organisation", "OrganisationKind", "Position",
    "PositionSignature",
    "Decision", "Response", "ResponseStatus", "Tag", "WorkgroupMember",
    "SearchEntry", "SearchKind", "Follow", "ConsultationEvent", "EventKind", "Setting",
    "LinkedIdentity", "Theme", "ThemeMember", "ThemeSet", "Job", "JobStatus",
]
