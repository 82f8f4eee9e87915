"""Number QA on the bilingual files CAT tools write (XLIFF, SDLXLIFF, TMX, PO, CSV/TSV) and on run folders.

read (translate-toolkit) -> languages -> check (the numbers stage on one Unit per translation unit) ->
decisions (a reviewer's accepted/error marks) -> outputs (terminal, JSON, CSV) and page (HTML).
"""

from aligner.bilingual.inputs import CheckOutcome, check_paths, review_sections, to_report

__all__ = ["CheckOutcome", "check_paths", "review_sections", "to_report"]
