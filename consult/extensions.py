"""Flask extensions, created once and bound to the app in create_app."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so Alembic can alter and drop them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()


def _client_address() -> str:
    """The client's address; X-Forwarded-For counts only behind a configured proxy (ProxyFix)."""
    from flask import request
    return request.remote_addr or "unknown"


# Storage is set in create_app: Redis when CONSULT_REDIS_URL is given, memory otherwise.
# A Redis outage falls back to in-memory limits instead of failing requests.
limiter = Limiter(key_func=_client_address, swallow_errors=True, in_memory_fallback_enabled=True,
                  headers_enabled=False)
