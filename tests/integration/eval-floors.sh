#!/bin/sh
# The retrieval floors of issue 4: `tests/eval/eval.sh --floors` on the
# judged queries (corpora/queries.tsv) with the real engine and corpus: recall@10
# >= 0.95 in every category and nDCG@10 >= 0.9 overall.
# Exit 1 when a floor is not met (the tool names the category and figure);
# 99 (a hard error, never an expected failure) when the tool itself fails.
: "${URA:?URA must name the ura binary (run through make check)}"
: "${top_srcdir:?top_srcdir must be set (run through make check)}"
sh "$top_srcdir/tests/eval/eval.sh" --floors --verbose
rc=$?
case $rc in
0 | 1) exit $rc ;;
*) echo "eval-floors: tests/eval/eval.sh failed (exit $rc)" >&2; exit 99 ;;
esac
