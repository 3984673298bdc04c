"""BM25 tokenisers, one per language of the response bank.

English keeps bm25s' own tokeniser (lower-cased words of two or more characters, English
stop words removed), so English suggestions rank exactly as before. bm25s cannot split
Chinese: a run of Han characters is one "word" to it ("我的订单到哪了" would be a single
token that no reply contains). Chinese text is cut with jieba (MIT, PyPI, its dictionary
bundled in the package) in search mode, which adds the shorter words inside a long one
("订单号" -> 订单, 单号, 订单号), so "订单" in a question matches "订单号" in a reply.
Words come from the dictionary only: jieba's HMM guesses at unknown words are off (on
short turns they glue a pronoun to a verb, "我查", or cut a phrase wrongly, "7天无理由" ->
天无; on the Chinese valid split both settings rank alike). Latin words in mixed text
("我的iPhone订单号12345") are lower-cased, digit runs kept, punctuation, spaces and a short
list of Chinese function words (的, 了, 吗, ...) dropped.

jieba's prefix dictionary is built in memory from the bundled `dict.txt` on first use
(~0.4 s, once per process): jieba's own start-up would read and write a marshal cache in
the temp directory, which this module never uses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import bm25s
from bm25s.stopwords import STOPWORDS_EN

Tokenize = Callable[[Sequence[str]], list[list[str]]]

# function words and particles that say nothing about what a customer wants; question
# words (哪, 什么, 怎么, 多久) are kept: they tell "where is it" from "how do I"
ZH_STOPWORDS = frozenset(
    "的了吗呢吧啊呀哦嗯哈么嘛啦呗哎唉是我你您他她它这那个请就都也还又和跟与及或在把被给让得地着过"
) | {*("我们", "你们", "咱们", "这个", "那个", "这样", "那样", "一下", "一个", "请问", "麻烦")}
_EN_STOP = frozenset(STOPWORDS_EN)


def english_tokens(texts: Sequence[str]) -> list[list[str]]:
    """bm25s' tokens (the English bank's, unchanged)."""
    out: Any = bm25s.tokenize(list(texts), stopwords="en", show_progress=False, return_ids=False)
    return [list(t) for t in out]


class ChineseTokenizer:
    """jieba search-mode tokens for BM25; thread-safe, the dictionary loaded on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jieba: Any = None

    def _tokenizer(self) -> Any:
        with self._lock:
            if self._jieba is None:
                import jieba

                tk = jieba.Tokenizer()
                tk.FREQ, tk.total = tk.gen_pfdict(tk.get_dict_file())  # no temp-dir cache
                tk.initialized = True
                self._jieba = tk
        return self._jieba

    def tokens(self, text: str) -> list[str]:
        out: list[str] = []
        for raw in self._tokenizer().cut_for_search(text, HMM=False):
            tok = raw.strip().lower()
            if not tok or not any(ch.isalnum() for ch in tok):
                continue  # spaces and punctuation (，。！？ and ASCII)
            if tok in ZH_STOPWORDS or tok in _EN_STOP:
                continue
            out.append(tok)
        return out

    def __call__(self, texts: Sequence[str]) -> list[list[str]]:
        return [self.tokens(t) for t in texts]


_CHINESE = ChineseTokenizer()  # one dictionary per process, shared by every ranker


def tokenizer_for(language: str) -> Tokenize:
    """The BM25 tokeniser of a bank language (English's for any language but Chinese)."""
    return _CHINESE if language == "zh" else english_tokens
