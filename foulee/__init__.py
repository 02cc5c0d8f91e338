"""Foulée: a chat-centric running coach. Shared configuration and the `foulee` command."""

__version__ = "0.1.0"
