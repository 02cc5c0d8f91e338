"""Load what the coach needs before its first message, in every process that serves it.

The offline router (its embedding model and weights) and the knowledge base's index are
loaded on first use and shared by the process. Without this, the first athlete to write pays
for them inside their request. ``foulee run`` calls :func:`warm_up` before it says where it
serves, the ASGI entry point (``web.asgi``) as it is imported by any other server, and the bot
as it starts polling. A second call in the same process costs nothing.
"""

from __future__ import annotations

import time


def warm_up() -> float:
    """Load the router, the language model and the knowledge base; the seconds taken.

    The router serves the LLM coach too: it picks the tools the model is offered, and the offline
    coach it runs is the LLM coach's floor (``agent.llm``).
    """
    from foulee.language import detect_language
    from knowledge.retrieval import get_knowledge_base

    started = time.perf_counter()
    detect_language("bonjour")  # counts its letter model from the knowledge base's documents
    from agent.router import get_router

    # The first embedding also loads the model's weights: do it here, not in a reply.
    get_router().classify("bonjour")
    get_knowledge_base()
    return time.perf_counter() - started
