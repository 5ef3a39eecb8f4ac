"""Accounts: registration, e-mail confirmation, sign-in, passwords, two-step verification, the
e-mail address, own data and deletion — one module for each, all without a request object, shared by
the web pages and the commands. Each function that changes something commits its own transaction.

Callers use `accounts.<name>`; the names below are the whole public surface.
"""
from __future__ import annotations

from .email_change import (  # noqa: F401
    EMAIL_CHANGE_MAX_AGE,
    EMAIL_CHANGE_SALT,
    change_email,
    check_new_email,
    email_change_for_token,
    email_change_token,
    request_email_change,
    send_email_change,
)
from .own_data import (  # noqa: F401
    delete_account,
    erase_account,
    export_user_data,
    user_comments,
    user_follows,
)
from .passwords import (  # noqa: F401
    RESET_MAX_AGE,
    RESET_SALT,
    change_password,
    request_password_reset,
    reset_password,
    reset_token,
    set_first_password,
    user_for_reset_token,
)
from .registration import (  # noqa: F401
    CONFIRM_MAX_AGE,
    CONFIRM_SALT,
    confirm_email,
    confirmation_token,
    create_user,
    register_user,
    send_confirmation,
)
from .rules import (  # noqa: F401
    EMAIL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    RECOVERY_CODES,
    RECOVERY_DIGITS,
    TOTP_DIGITS,
    TOTP_INTERVAL,
    TOTP_ISSUER,
    TOTP_WINDOW,
    check_password,
    common_passwords,
    find_user_by_email,
    hash_password,
    is_valid_email,
    language_for,
    normalise_email,
    normalise_password,
    password_problem,
    set_password_hash,
    site_link,
    spend_hashing_time,
    token_serializer,
)
from .sessions import (  # noqa: F401
    authenticate,
    check_sign_in_code,
    end_all_sessions,
    user_for_pending_sign_in,
    user_for_staff_link,
)
from .two_step import (  # noqa: F401
    accept_code,
    check_code_to_turn_off,
    disable_two_step,
    enable_two_step,
    grouped_secret,
    is_code_format,
    is_recovery_code_format,
    normalise_code,
    recovery_codes_left,
    regenerate_recovery_codes,
    replace_recovery_codes,
    reset_two_step,
    start_two_step,
    turn_off_two_step,
    two_step_qr,
    two_step_uri,
)
