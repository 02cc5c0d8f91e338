"""The chat model (``FOULEE_LLM=provider:model``) and one call to it within the turn's deadline.

Every call has a bound: ``Deadline`` is the whole reply's (``FOULEE_LLM_TIMEOUT``, monotonic),
each call gets the time that is left (the client's own timeout, and the wait for its answer,
which gives up even if the client does not), ``max_tokens`` (``FOULEE_LLM_MAX_TOKENS``) bounds
what it writes, and a rate limit or a server error is retried at most ``MAX_RETRIES`` times, in
the time left. Whatever goes wrong comes out as ``ModelFailure``, with a short reason.
LangChain is imported here only, on first use.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Final

PROVIDERS: Final = {"openai": "openai", "mistral": "mistralai", "mistralai": "mistralai"}
#: Retries of a call answered 429 or 5xx, within the turn's deadline (the client retries none).
MAX_RETRIES: Final = 1
#: A call is not started with less time than this left: it could not answer.
MIN_CALL_S: Final = 0.25
_RETRYABLE: Final = frozenset({408, 409, 429, 500, 502, 503, 504})


class ModelFailure(Exception):
    """The model gave no usable answer: down, slow, rate-limited, erroring or writing garbage."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Deadline:
    """The end of one reply, on the monotonic clock."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self._end - time.monotonic())


def module(name: str) -> Any:
    """LangChain, imported on first use (it takes about a second) and kept out of mypy's reach."""
    return importlib.import_module(name)


def chat_model(spec: str) -> Any:
    """The chat model for ``provider:model``, configured from ``foulee.config``."""
    from foulee.config import get_settings

    init_chat_model = module("langchain.chat_models").init_chat_model
    provider, _, model = spec.partition(":")
    if provider not in PROVIDERS or not model:
        raise ValueError(f"FOULEE_LLM must be 'offline', 'openai:MODEL' or 'mistral:MODEL', not {spec!r}")
    settings = get_settings()
    options: dict[str, Any] = {
        "timeout": settings.llm_timeout_s,
        "max_retries": 0,  # retried here, within the turn's deadline
        "temperature": 0.2,
        "max_tokens": settings.llm_max_tokens,
    }
    if settings.llm_api_key:
        options["api_key"] = settings.llm_api_key
    if PROVIDERS[provider] == "openai" and settings.llm_base_url:
        options["base_url"] = settings.llm_base_url
        # Local servers (Ollama, llama.cpp) need no key, but the client insists on one.
        options.setdefault("api_key", "not-needed")
    return init_chat_model(model, model_provider=PROVIDERS[provider], **options)


def _status(error: BaseException) -> int | None:
    status = getattr(error, "status_code", None)
    if status is None:
        status = getattr(getattr(error, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def reason_of(error: BaseException) -> str:
    """A short, secret-free reason for the log: the HTTP status, or the error's kind."""
    status = _status(error)
    return f"HTTP {status}" if status is not None else type(error).__name__


def _on_worker(work: Callable[[], Any], wait_s: float) -> Any:
    """``work()`` on a daemon thread, waited for at most ``wait_s`` (then abandoned: it ends with its
    client's own timeout, which is no longer than this wait)."""
    outcome: Future[Any] = Future()

    def run() -> None:
        try:
            outcome.set_result(work())
        except BaseException as error:  # handed to the caller
            outcome.set_exception(error)

    threading.Thread(target=run, name="foulee-llm-call", daemon=True).start()
    return outcome.result(timeout=wait_s)


def invoke(model: Any, messages: list[Any], deadline: Deadline, *, client_timeout: bool = True) -> Any:
    """One answer of ``model`` to ``messages`` before ``deadline``; ``ModelFailure`` otherwise.

    ``client_timeout`` passes the time left as the HTTP client's timeout (OpenAI's client takes
    one per request); the wait on the worker bounds the call either way.
    """
    attempt = 0
    while True:
        left = deadline.remaining()
        if left < MIN_CALL_S:
            raise ModelFailure("timeout")
        options: dict[str, Any] = {"timeout": left} if client_timeout else {}

        def call(options: dict[str, Any] = options) -> Any:
            return model.invoke(messages, **options)

        try:
            return _on_worker(call, left)
        except FutureTimeout:
            raise ModelFailure("timeout") from None
        except Exception as error:  # the provider's own errors: any of them means no answer
            if _status(error) in _RETRYABLE and attempt < MAX_RETRIES:
                attempt += 1
                time.sleep(min(0.5, deadline.remaining() / 4))
                continue
            raise ModelFailure(reason_of(error)) from error
