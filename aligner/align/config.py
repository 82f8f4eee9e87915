"""Settings of the sentence aligner (every field has a default; the manifest records them all)."""

from __future__ import annotations

from dataclasses import dataclass, replace

OBJECTIVES = ("calibrated", "sum", "bertalign", "auto")


@dataclass(frozen=True)
class AlignConfig:
    # Beads: sides of up to ``max_bead`` sentences, at most ``max_bead_total`` sentences in all
    # (0 means max_bead + 1: max_bead=3 gives 1-1, 1-2, 2-1, 2-2, 1-3, 3-1), plus 1-0 and 0-1.
    max_bead: int = 3
    max_bead_total: int = 0
    # Candidates: top-k neighbours per sentence (also the k of the margin's neighbourhood mean).
    top_k: int = 4
    approximate_index_above: int = 50_000  # sentences on a side above which FAISS HNSW replaces exact search
    # Band of the DP around the confident 1-1 anchors (in sentences on each side of the anchor chain).
    band_width: int = 12
    full_matrix_cells: int = 250_000  # below this many cells the DP searches the whole matrix
    # Scores of a bead: margin similarity + length prior + numbers prior - bead-type penalty.
    margin_weight: float = 1.0  # m: 1 = similarity minus the neighbourhood means, 0 = plain cosine
    length_weight: float = 0.15  # per squared log-deviation of the character-length ratio
    numbers_weight: float = 0.06  # bonus for numbers shared on both sides, malus for disagreeing ones
    punctuation_weight: float = 0.02  # per kept mark (colon, ?, !, bracket, ;) on one side only, at most 2
    merge_weight: float = 0.0  # weight of each sentence beyond 1-1 in a bead's gain (1-1 weighs 2)
    many_to_many_weight: float = 0.0  # the same for beads with 2+ sentences on both sides (2-2)
    merge_penalty: float = 0.2  # per sentence beyond 1-1 in a bead, in units of the pair's score spread
    # Credit, in units of the score spread, for each line of a bead that continues the line before it
    # (starts lower-case): a sentence cut in two belongs in one bead, not half of it left unaligned.
    continuation_credit: float = 0.2
    skip_cost: float = 0.2  # of leaving a (non-chrome) sentence unaligned, in units of the score spread
    # Skip threshold: a 1-1 bead beats two skips when its score exceeds this point between the
    # document pair's median "no match" (runner-up) score (0) and median best-match score (1).
    skip_quantile: float = 0.0
    background_similarity: float = 0.25  # neighbour similarity assumed when a side has < top_k sentences
    # Documents too small to calibrate on (fewer than 3 sentences a side) use these instead.
    fallback_skip_threshold: float = 0.15
    fallback_spread: float = 0.2
    # Encoding: concatenations are embedded only near the DP path (refinement rounds), unless
    # ``overlaps_upfront`` asks for every concatenation of up to ``upfront_overlaps`` sentences first.
    overlaps_upfront: bool = False
    upfront_overlaps: int = 4
    refine_rounds: int = 6
    # "adjacent": spans that extend the beads next to a skip or weak bead; "window": every span of up
    # to max_bead sentences containing a sentence of a skip, merge or weak bead (more encoding).
    refine_spans: str = "adjacent"
    refine_below: float = 0.6  # a 1-1 bead below this confidence gets nearby concatenations encoded
    # What the DP maximises. "calibrated" (for news): the gains above, with a skip threshold
    # calibrated per document pair, so deleted sentences and page chrome stay unaligned.
    # "sum" (Bertalign's objective, for texts cut into fragments, e.g. OCR'd books): the sum of
    # (cos - mean similarity with the sentences just outside the bead) * length penalty over the
    # beads, every skip costing ``sum_skip_cost`` (page chrome free); it merges fragments readily.
    # "bertalign": Bertalign's own scoring (Liu and Zhu 2022): the "sum" gain with its length
    # penalty on UTF-8 byte lengths and the ratio of the two documents' total lengths, every skip
    # costing ``sum_skip_cost`` (no page chrome exemption). ``bertalign_config`` gives its search too.
    # "auto" (default): per document pair, Bertalign's search for text cut into fragments (see
    # align/choice.py and the auto_* fields below), else "calibrated".
    objective: str = "auto"
    sum_skip_cost: float = 0.1  # Bertalign's published default (also the skip cost inside gaps)
    # Where the DP looks. "band": around confident mutual-best anchors (the whole matrix when small).
    # "two_pass" (Bertalign's): a first DP of 1-1 beads over each sentence's top-k candidates, then the
    # bead DP inside ``two_pass_window`` target sentences of that first path.
    search: str = "band"
    two_pass_window: int = 5
    # "auto": Bertalign's search, beads and overlaps for a pair with at least ``auto_fragment_lines``
    # fragment lines (align/choice.py) making at least ``auto_fragment_share`` of its lines, scored
    # with ``auto_literary_objective``; ``auto_literary_upfront`` encodes the overlaps up front (else
    # lazily) and ``auto_literary_moves`` keeps the moves pass on for such pairs. Up front: strict F1
    # 0.943 against 0.926 lazily on the tuning documents Text+Berg 001-005 (held out 006-007: 0.919 both;
    # BENCHMARKS.md), at 3.9 texts encoded per sentence of such pairs instead of 1.2; news stays lazy.
    auto_fragment_share: float = 0.05
    auto_fragment_lines: int = 8
    auto_literary_objective: str = "bertalign"
    auto_literary_upfront: bool = True
    auto_literary_moves: bool = True
    # Calibrated objective: leftovers on both sides between two aligned beads are aligned again with
    # the local objective (see align/gaps.py); gaps of more than ``gap_max_sentences`` a side are not.
    realign_gaps: bool = True
    gap_max_sentences: int = 8
    # Either objective: a passage the translation moved (the monotone path skips it on both
    # sides) is aligned where it went, seeded by a mutual best pair of leftovers whose margin is
    # ``move_strength`` spreads above the skip threshold (see align/moves.py).
    find_moves: bool = True
    move_strength: float = 0.5
    # A moved line the DP drew into a merged bead, a bead with page chrome (a deletion or a chrome
    # line stood at its old place) or a bead below the skip threshold may leave that bead for its
    # mutual best match elsewhere.
    move_out_of_beads: bool = True

    @property
    def bead_total(self) -> int:
        """The most sentences a bead may hold, both sides together (``max_bead_total``, 0 = max_bead + 1)."""
        return self.max_bead_total or self.max_bead + 1

    def __post_init__(self) -> None:
        if self.objective not in OBJECTIVES:
            raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}, not {self.objective!r}")
        if self.auto_literary_objective not in ("sum", "bertalign"):
            raise ValueError(
                f"auto_literary_objective must be 'sum' or 'bertalign', not {self.auto_literary_objective!r}"
            )
        if self.search not in ("band", "two_pass"):
            raise ValueError(f"search must be 'band' or 'two_pass', not {self.search!r}")


# Bertalign's published defaults (max_align=5, top_k=3, win=5, skip=-0.1, overlaps of up to 4
# sentences encoded up front), in our fields; its path is monotone, so no moves or gap pass.
BERTALIGN_SETTINGS = {
    "objective": "bertalign",
    "search": "two_pass",
    "two_pass_window": 5,
    "max_bead": 4,
    "max_bead_total": 5,
    "top_k": 3,
    "sum_skip_cost": 0.1,
    "overlaps_upfront": True,
    "upfront_overlaps": 4,
    "realign_gaps": False,
    "find_moves": False,
    "move_out_of_beads": False,
}


def bertalign_config(base: AlignConfig | None = None, **changes: object) -> AlignConfig:
    """``base`` (default: the defaults) with Bertalign's algorithm and parameters, then ``changes``."""
    return replace(base or AlignConfig(), **{**BERTALIGN_SETTINGS, **changes})


DEFAULT_CONFIG = AlignConfig()
