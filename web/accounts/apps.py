from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "web.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.core import checks

        from web.accounts import signals  # noqa: F401  (connects the receivers)
        from web.text import check_text_fields

        checks.register(check_text_fields, checks.Tags.models)
