"""Measure the duplicate proposal on the labelled set (issue 10, point 7).

Each of the labelled items in turn is the query and all the others are the candidates; the command
prints precision and recall at k of the ranking (definitions in ``similarity.evaluate``), then the
same with only the candidates scoring at least the threshold (RENDA_CASE_DUPLICATE_MIN_SCORE unless
--threshold is given), and with --sweep a table of thresholds to choose the setting from.
``--file src/renda/casework/data/duplicate_holdout.json`` measures the held-out set, written after the
weights were chosen and never used to tune them.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from renda.casework import similarity

SWEEP = (0.03, 0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25)


class Command(BaseCommand):
    help = "Print precision@k and recall@k of the duplicate proposal on the labelled set."

    def add_arguments(self, parser):
        parser.add_argument("--k", type=int, default=3)
        parser.add_argument("--threshold", type=float, default=None)
        parser.add_argument("--sweep", action="store_true", help="Also print a table of thresholds.")
        parser.add_argument("--file", default=None, help="A labelled set other than the shipped one (JSON).")

    def handle(self, *args, **options):
        items = similarity.labelled_set(options["file"])
        k = options["k"]
        threshold = options["threshold"]
        if threshold is None:
            threshold = settings.RENDA_CASE_DUPLICATE_MIN_SCORE
        result = similarity.evaluate(items, k=k, threshold=threshold)
        clusters = len({item["cluster"] for item in items})
        self.stdout.write(
            f"{result['items']} items in {clusters} clusters; "
            f"{result['queries_with_duplicates']} have at least one duplicate."
        )
        self.stdout.write(
            f"Ranking: precision@{k} = {result['precision_at_k']:.3f} "
            f"(best possible on this set {result['precision_ceiling']:.3f}), "
            f"recall@{k} = {result['recall_at_k']:.3f}"
        )
        self.stdout.write(self._proposed(result))
        if options["sweep"]:
            for value in SWEEP:
                self.stdout.write("  " + self._proposed(similarity.evaluate(items, k=k, threshold=value)))

    @staticmethod
    def _proposed(result: dict) -> str:
        return (
            f"Threshold {result['threshold']:.2f}: precision of proposals = {result['proposed_precision']:.3f}, "
            f"recall = {result['proposed_recall']:.3f}, "
            f"items without a duplicate that still get a proposal = {result['singletons_with_proposal']:.3f}"
        )
