# thesaurus-gen.awk — build-time generator: data/thesaurus.tsv (words of
# law and administration in Albanian, Serbian and English) to
# core/thesaurus-data.h, a C table of the three columns as written.
#
#   awk -f thesaurus-gen.awk data/thesaurus.tsv > core/thesaurus-data.h
#
# Lines starting with # and blank lines are skipped; a column "-" (no word
# in that language) becomes "".  A line without
# exactly three non-empty tab-separated columns, or with a space, quote or
# backslash in a column, is an error naming the line (exit 1), so a
# malformed entry cannot be dropped in silence.  Folding and stemming are
# left to the analyser at run time (core/thesaurus.c).
BEGIN {
    FS = "\t"
    n = 0
    print "/* Generated from data/thesaurus.tsv by tools/thesaurus-gen.awk: do not edit. */"
    print "static const char *const ura_thesaurus_data[][3] = {"
}
/^#/ || /^[ \t]*$/ { next }
{
    if (NF != 3) {
        printf "%s:%d: want 3 tab-separated columns (sq, sr, en), got %d\n", FILENAME, FNR, NF > "/dev/stderr"
        bad = 1
        exit 1
    }
    for (i = 1; i <= 3; i++) {
        if ($i == "" || $i ~ /[ "\\]/ || $i ~ /^;|;;|;$/) {
            printf "%s:%d: column %d \"%s\": want words separated by \";\", no spaces or quotes\n", FILENAME, FNR, i, $i > "/dev/stderr"
            bad = 1
            exit 1
        }
    }
    # "-": no word in that language
    for (i = 1; i <= 3; i++)
        if ($i == "-")
            $i = ""
    printf "    {\"%s\", \"%s\", \"%s\"},\n", $1, $2, $3
    n++
}
END {
    if (bad)
        exit 1
    print "};"
    printf "#define URA_THESAURUS_N %d\n", n
}
