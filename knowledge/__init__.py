"""The coaching knowledge base: corpus, FAISS index, retrieval. Not built yet (see the knowledge issue)."""
