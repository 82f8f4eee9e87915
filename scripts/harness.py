"""What every benchmark script shares: where the data is, its loaders, the model, and the machine.

    from harness import ROOT, NTREX_DIR, ntrex_documents, load_model, machine

The scripts import this module as a sibling (Python puts a script's own folder first on ``sys.path``);
nothing here changes what a benchmark measures. NTREX-128 and Text+Berg are read in place from
``../shared/data/``, never copied into the repository.
"""

from __future__ import annotations

import os
import platform
from collections import defaultdict
from pathlib import Path

from aligner.embedding.cache import EmbeddingCache, default_cache_dir
from aligner.embedding.embedder import Embedder
from aligner.embedding.encoder import DEFAULT_MODEL_NAME, SentenceTransformerEncoder
from aligner.embedding.fetch import default_model_dir
from aligner.evaluate import read_alignment

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT.parent / "shared" / "data"
NTREX_DIR = DATA_DIR / "ntrex"
TEXTBERG_DIR = DATA_DIR / "textberg"
SEEDS_DIR = ROOT / "seeds"
LANGUAGES = ("en", "ru", "uk", "ur", "ar")  # NTREX's languages that the project covers


# ---- the model ------------------------------------------------------------------------------------------


def default_model() -> Path:
    """The default model's folder as the package finds it (``$ALIGNER_MODELS``, else ``models/``)."""
    return default_model_dir()


def load_model(
    model_dir: Path, quantize: bool = False, backend: str = "auto"
) -> tuple[SentenceTransformerEncoder, EmbeddingCache]:
    """The encoder of ``model_dir`` (named as the package names the default model) and the user's cache."""
    encoder = SentenceTransformerEncoder(
        model_dir, name=DEFAULT_MODEL_NAME, quantize=quantize, backend=backend
    )
    return encoder, EmbeddingCache(default_cache_dir() / "embeddings.sqlite")


def load_embedder(model_dir: Path, backend: str = "auto") -> Embedder:
    encoder, cache = load_model(model_dir, backend=backend)
    return Embedder(encoder, cache)


# ---- the machine ----------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{cpu}, {os.cpu_count()} cores, no GPU, Python {platform.python_version()}"


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (other jobs share the cores: timings depend on them)."""
    loadavg = Path("/proc/loadavg")
    return " ".join(loadavg.read_text().split()[:3]) if loadavg.exists() else "unknown"


# ---- NTREX-128 ------------------------------------------------------------------------------------------


def ntrex_lines(data: Path, languages: tuple[str, ...] = LANGUAGES) -> tuple[list[str], dict[str, list[str]]]:
    """NTREX's document id of each line, and each language's lines (one sentence a line, all aligned)."""
    ids = (data / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    lines = {}
    for lang in languages:
        lines[lang] = (data / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
        if len(lines[lang]) != len(ids):
            found = f"{len(lines[lang])} lines, DOCUMENT_IDS.tsv has {len(ids)}"
            raise SystemExit(f"{data / (lang + '.txt')}: {found}")
    return ids, lines


def ntrex_documents(data: Path) -> dict[str, list[list[str]]]:
    """Per language, the list of documents (each a list of lines), in file order."""
    ids, lines = ntrex_lines(data)
    bounds = [k for k in range(len(ids)) if k == 0 or ids[k] != ids[k - 1]] + [len(ids)]
    return {lang: [lines[lang][a:b] for a, b in zip(bounds, bounds[1:], strict=False)] for lang in LANGUAGES}


def ntrex_stories(data: Path) -> dict[str, dict[str, list[str]]]:
    """NTREX story id -> language -> sentences (the lines of that document, stripped)."""
    ids, lines = ntrex_lines(data)
    stories: dict[str, dict[str, list[str]]] = defaultdict(lambda: {lang: [] for lang in LANGUAGES})
    for lang in LANGUAGES:
        for doc_id, line in zip(ids, lines[lang], strict=True):
            if doc_id.strip():
                stories[doc_id.strip()][lang].append(line.strip())
    return dict(stories)


def ntrex_sentences(data: Path, per_language: int) -> list[str]:
    """The first ``per_language`` lines of each language, distinct and non-blank, in that order."""
    _, lines = ntrex_lines(data)
    texts = [text for lang in LANGUAGES for text in lines[lang][:per_language]]
    return list(dict.fromkeys(t for t in texts if t.strip()))


def build_pile(ntrex: Path, docs: int, copies: int, folder: Path) -> int:
    """Write ``docs`` NTREX documents in each language (``copies`` times) as files; return sentences."""
    ids, lines = ntrex_lines(ntrex)
    order = list(dict.fromkeys(ids))[:docs]
    count = 0
    folder.mkdir(parents=True, exist_ok=True)
    for copy in range(copies):
        for lang in LANGUAGES:
            by_doc: dict[str, list[str]] = defaultdict(list)
            for index, (doc_id, line) in enumerate(zip(ids, lines[lang], strict=True)):
                # A light change per copy: a reference number in front of each line, the same in every
                # language of one copy and different between copies, so each copy is a story of its own
                # (its numbers agree only within the copy) and no text is in the cache twice.
                by_doc[doc_id].append(f"({copy * 10000 + index}) {line}" if copy else line)
            for doc_id in order:
                (folder / f"{lang}.{doc_id}.c{copy}.txt").write_text(
                    "\n".join(by_doc[doc_id]) + "\n", encoding="utf-8"
                )
                count += len(by_doc[doc_id])
    return count


# ---- Text+Berg (and any gold standard laid out like it) -------------------------------------------------


def textberg_pairs(data: Path, quick: bool, langs: tuple[str, str] = ("de", "fr")) -> list:
    """Documents of a gold standard laid out like Text+Berg: SRC/NAME, TGT/NAME and gold/NAME."""
    names = sorted(p.name for p in (data / "gold").iterdir())
    if quick:
        names = names[:2]
    src_lang, tgt_lang = langs
    pairs = []
    for name in names:  # lines stripped and spaces collapsed, as Bertalign reads them (the gold keeps ids)
        src = [" ".join(line.split()) for line in (data / src_lang / name).read_text("utf-8").splitlines()]
        tgt = [" ".join(line.split()) for line in (data / tgt_lang / name).read_text("utf-8").splitlines()]
        pairs.append((name, src, tgt, read_alignment(data / "gold" / name), src_lang, tgt_lang))
    return pairs
