"""Text fields refuse control characters: the Django side of ``foulee.limits``' text rule.

Every ``CharField`` and ``TextField`` of the system of record carries one of
these validators, so a model's ``full_clean`` (and with it the admin, the site's
forms, the API's services and the coach) refuses a NUL byte or another control
character with the field named, instead of PostgreSQL refusing the row with a
500. ``CharField`` text is one line (no tab or line break); ``TextField`` text
may hold tab, line feed and carriage return.

The system check ``foulee.E001`` (registered by ``web.accounts``) fails
``manage.py check``, and so the test suite, when a text field lacks its
validator: a field added tomorrow cannot forget it. Fields with ``choices`` are
left out (their values are a fixed list), as is the password hash.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from django.apps import apps
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from foulee import limits

#: Code of the validation error, for doors that answer in their own words (the bot).
CONTROL_CHARACTER: Final = "control_character"
#: Fields that hold no text a person or a file gave: ``password`` is a hash the server computes.
EXEMPT_FIELDS: Final = frozenset({("accounts", "User", "password")})


@deconstructible
class NoControlCharacters:
    """Refuses what ``foulee.limits.is_forbidden_character`` names; one line unless ``multiline``."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str):
            return
        refused = limits.forbidden_characters(value, multiline=self.multiline)
        if refused:
            raise ValidationError(
                _("Remove the control character %(characters)s: it is not allowed in text."),
                code=CONTROL_CHARACTER,
                params={"characters": ", ".join(limits.character_code(char) for char in refused)},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoControlCharacters) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((NoControlCharacters, self.multiline))


#: The validators to pass to fields: ``validators=[SINGLE_LINE]`` on a CharField.
SINGLE_LINE: Final = NoControlCharacters()
MULTI_LINE: Final = NoControlCharacters(multiline=True)


def needs_text_validator(field: models.Field[Any, Any]) -> bool:
    """Whether ``field`` holds free text, and so must carry a ``NoControlCharacters`` validator."""
    if not isinstance(field, models.CharField | models.TextField) or field.choices:
        return False
    return (field.model._meta.app_label, field.model.__name__, field.name) not in EXEMPT_FIELDS


def has_text_validator(field: models.Field[Any, Any]) -> bool:
    """Whether ``field`` carries the validator its kind needs (a CharField is one line)."""
    wanted = MULTI_LINE if isinstance(field, models.TextField) else SINGLE_LINE
    # A single-line rule is stricter, so it is enough on a TextField too.
    return any(validator in (wanted, SINGLE_LINE) for validator in field.validators)


def project_models() -> Iterable[type[models.Model]]:
    """The models of Foulée's own apps (``web.*``), not Django's or third parties'."""
    for config in apps.get_app_configs():
        if config.name.startswith("web."):
            yield from config.get_models()


def check_text_fields(**kwargs: Any) -> list[checks.CheckMessage]:
    """``foulee.E001`` for each free-text field of the project without the control-character validator."""
    errors: list[checks.CheckMessage] = []
    for model in project_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.Field) or not needs_text_validator(field):
                continue
            if not has_text_validator(field):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} accepts control characters.",
                        hint="Add validators=[web.text.SINGLE_LINE] (CharField) or [web.text.MULTI_LINE] "
                        "(TextField).",
                        obj=field,
                        id="foulee.E001",
                    )
                )
    return errors
