"""The LLM coach (``FOULEE_LLM=provider:model``): docs/agent.md, "The LLM coach".

* ``engine`` — the turn: safety, the two modes, the deadline, the offline coach as the floor;
* ``model`` — the chat model (``max_tokens``, timeouts, bounded retries) and one bounded call;
* ``textcalls`` — tool calls written as text, validated against the tools' schemas;
* ``grounding`` — the numbers check;
* ``prompts`` — what the model is told.

Used with ``openai:MODEL`` (OpenAI, or any OpenAI-compatible server with ``FOULEE_LLM_BASE_URL``:
Ollama, llama.cpp's server, vLLM) or ``mistral:MODEL``. LangChain is imported on first use only.
"""

from agent.llm.engine import LlmEngine
from agent.llm.model import chat_model
from agent.llm.prompts import system_prompt

__all__ = ["LlmEngine", "chat_model", "system_prompt"]
