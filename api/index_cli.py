"""`agent-assist index rebuild|status`: the customer-history index (FAISS) behind related
history, under `AGENT_ASSIST_INDEX_DIR` (var/index).

- `status`: events in the store, events the saved index holds, and whether it matches.
- `rebuild`: embeds every event of the store again (progress on stderr) into a fresh
  folder, then swaps it in. The running service keeps its in-memory index (it is kept
  current from the store anyway) and loads the rebuilt one at its next start. Use it after
  changing the encoder, restoring a backup, or when the folder was lost."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from api.config import Settings, get_settings
from api.storage.schema import open_database
from intent.encoder import Encoder
from retrieval.errors import IndexMismatch
from retrieval.index import HistoryIndex, earlier_events
from retrieval.pii import default_redactor
from retrieval.schemas import Event
from retrieval.store import SqlHistoryStore

BATCH = 5_000


def _encoder(settings: Settings) -> Encoder:
    """The base index's encoder (MiniLM, as the service loads it)."""
    from api.inference import runtime
    from intent.runtime import load_encoder

    return load_encoder(runtime(settings))


def _multilingual_encoder(settings: Settings) -> Encoder:
    from api.inference import language_neutral_encoder, runtime

    return language_neutral_encoder(runtime(settings))


# (folder, encoder, language: None for every event, "zh" for the Chinese turns' own)
Target = tuple[Path, Callable[[Settings], Encoder], str | None]


def _indexes(settings: Settings) -> list[Target]:
    """The service's history indexes: the base one, and the Chinese turns' own when the
    service keeps one (`api.main.load_assistant` decides the same way)."""
    from api.inference import multilingual_history
    from retrieval.responses import load_bank

    out: list[Target] = [(Path(settings.index_dir), _encoder, None)]
    chinese = any(item.language == "zh" for item in load_bank())
    if multilingual_history(settings, chinese):
        out.append((Path(settings.multilingual_index_dir), _multilingual_encoder, "zh"))
    return out


def rebuild(settings: Settings, quiet: bool = False) -> int:
    for target, make, language in _indexes(settings):
        _rebuild(settings, target, make(settings), quiet, language)
    return 0


def _rebuild(
    settings: Settings, target: Path, encoder: Encoder, quiet: bool, language: str | None
) -> None:
    store = SqlHistoryStore(open_database(settings.history_url))
    total = store.count_events()
    index = HistoryIndex(encoder, default_redactor(), language=language)
    earlier = earlier_events(store) if language else None
    t0 = time.perf_counter()
    buf: list[Event] = []
    seqs: list[int] = []
    done = 0

    def flush() -> None:
        nonlocal done
        index.add(buf, seqs, earlier)
        done += len(buf)
        buf.clear()
        seqs.clear()
        if not quiet:
            rate = done / max(time.perf_counter() - t0, 1e-9)
            print(
                f"\r{target.name}: {done:,}/{total:,} events ({rate:,.0f}/s)",
                end="",
                file=sys.stderr,
            )

    for seq, event in store.iter_events(0, BATCH):
        buf.append(event)
        seqs.append(seq)
        if len(buf) >= BATCH:
            flush()
    if buf:
        flush()
    fresh = target.with_name(target.name + ".rebuild")
    shutil.rmtree(fresh, ignore_errors=True)
    index.save(fresh)
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    took = time.perf_counter() - t0
    print(
        f"\nindexed {len(index):,} events ({index.distinct_texts:,} distinct texts, "
        f"{index.encoded:,} embedded) in {took:.1f} s into {target}",
        file=sys.stderr if quiet else sys.stdout,
    )
    store.close()
    close = getattr(encoder, "close", None)
    if callable(close):
        close()  # the batching encoder's worker thread


def status(settings: Settings) -> int:
    store = SqlHistoryStore(open_database(settings.history_url))
    print(f"store: {store.count_events():,} events, last sequence number {store.max_seq():,}")
    worst = 0
    for target, make, language in _indexes(settings):
        worst = max(worst, _status(store, target, make, settings, language))
    store.close()
    return worst


def _status(
    store: SqlHistoryStore,
    target: Path,
    make: Callable[[Settings], Encoder],
    settings: Settings,
    language: str | None = None,
) -> int:
    if not (target / "index.json").exists():
        print(f"index: none at {target} (the service builds it at start, or run rebuild)")
        return 1
    try:
        index = HistoryIndex.load(target, make(settings), language=language)
    except (IndexMismatch, OSError, ValueError, KeyError) as exc:
        print(f"index: {target} cannot be used ({exc}); run rebuild")
        return 1
    behind = store.max_seq() - index.last_seq
    print(f"index: {len(index):,} events up to sequence {index.last_seq:,} at {target}")
    if language:
        print(
            f"index: the {language} turns' own: {len(index.members):,} customers who write "
            f"{language} (and every resolved case)"
        )
    if behind < 0:
        print("index: made from another database: run rebuild")
        return 1
    print(
        "index: up to date"
        if behind == 0
        else f"index: {behind:,} sequence numbers behind (the service catches up by itself)"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="agent-assist index",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("action", choices=["rebuild", "status"])
    ap.add_argument("--quiet", action="store_true", help="no progress")
    a = ap.parse_args(argv)
    settings = get_settings()
    return rebuild(settings, a.quiet) if a.action == "rebuild" else status(settings)
