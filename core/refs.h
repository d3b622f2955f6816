/* refs.h — references to other acts inside the text of an act: "neni 5
 * paragrafi 2 i Ligjit Nr. 03/L-047", "člana 58 Ustava", "Article 5(2)
 * of this Law".  Private to libura.
 *
 * What is recognised, in Albanian, Serbian (Latin or Cyrillic, with or
 * without diacritics, look-alike letters of the other script repaired)
 * and English, any case and inflection:
 *
 *   - An act number NN/L-NNN (Latin or Cyrillic L, any hyphen or dash,
 *     at most one space either side of it) anywhere: it names a law on its
 *     own.  An act word and "Nr."/"No."/"Br."/"Бр." in front of it belong
 *     to the reference ("Ligji Nr. 03/L-047", "Закон бр. 03/Л-047").
 *   - NN/YYYY only after an act word (law, instruction, regulation,
 *     decision, their inflections and the abbreviations UA/AU/AI), at
 *     most four words between it and "Nr."/"No."/"Br.", and none of those
 *     words naming the Official Gazette: "UA Nr. 02/2019",
 *     "Udhëzimi Administrativ (MAPL) Nr. 02/2019", "Uredba br. 01/2021".
 *     Dates, gazette issues and report numbers are not acts.
 *   - Article, paragraph and point, in either order ("neni 5 paragrafi 2",
 *     "paragrafi 2 i nenit 5", "stav 2 člana 7", "Point 2 of paragraph 3
 *     of Article 10"), in dotted ("5.2", "5.2.3") or bracketed ("5(2)",
 *     "6(3)(b)") notation, with Serbian ordinal dots ("člana 5. stav 2.").
 *     A dotted point is paragraph.point: "pika 2.4" is point 4 (of
 *     paragraph 2 when no paragraph is named).  Lettered points count from
 *     1 in their script's alphabet: "point (a)" and "тачка а)" are 1.
 *   - Lists and ranges: one reference per article ("nenet 3, 4 dhe 7",
 *     "članovi 57–62", "Articles 57 to 62", "od 57 do 62").  A range of
 *     more than 20 numbers, or a reversed one, gives its two ends only;
 *     one reference group never gives more than 20 references.
 *   - What the numbers belong to, right after them: the Constitution
 *     ("i Kushtetutës", "Ustava", "of the Constitution"); a numbered act,
 *     its number found within the act's title ("i Ligjit për Përdorimin e
 *     Gjuhëve Nr. 02/L-37"); or the same act ("të këtij ligji", "ovog
 *     člana", "of this Law", or nothing at all).  An act or document
 *     named without a number we can read ("of the Law on Local
 *     Self-Government", "Evropske konvencije", "të Statutit") is a
 *     reference ura cannot place, and is not reported: calling it
 *     internal would be wrong.
 *   - The article after an act, given as a citation: "(Ligji Nr. 03/L-040,
 *     neni 23)", "Kushtetuta e Republikës së Kosovës, neni 59",
 *     "Ustav, u članu 58,", "Law No. 04/L-174 on Spatial Planning,
 *     Article 10", "Chapter III of the Constitution (Articles 57 to 62)"
 *     — one reference (per article) that carries both.  After an act or
 *     document without a number ("Kodi Penal, neni 141") such a citation
 *     is not reported, for the reason above.
 *   - The Constitution mentioned on its own, capitalised ("në pajtim me
 *     Kushtetutën", "са Уставом"): constitution 1, article 0.  The
 *     adjectives (Kushtetuese, Ustavni, Constitutional) and a lower-case
 *     English "constitution" (of a committee) are not.
 *
 * Not references: an article's own heading — a nominative "Neni 5",
 * "Član 5", "Члан 5", "Article 5" first on its line and followed by the
 * end of the line, a dash or colon, or a capitalised word that is not
 * part of a citation ("Neni 12 – Zyra për komunitete", "Article 4\n");
 * "neni"/"član" without a number ("Članovi zajednica", members); a point
 * with neither article, paragraph nor act ("Pika 2 e rendit të ditës", an
 * agenda item); "Nr. 5"; "03/L"; chapters on their own ("Kapitulli III":
 * ura_ref has no chapter).
 *
 * Known gaps: a list of dotted numbers keeps its first ("nenin 8.1 dhe
 * 8.2" gives 8.1 only); "të tij"/"its" does not carry an act over from an
 * earlier sentence; UNMIK-era numbers (2004/32) are not read.
 */
#ifndef URA_REFS_H
#define URA_REFS_H

#include <stddef.h>

/* One reference.  Numbers are 0 when the reference does not give them; an
 * internal reference to "paragraph 2 of this article" is law "",
 * constitution 0, article 0, paragraph 2. */
typedef struct ura_ref {
    size_t start, end;  /* bytes of the whole reference in the text, from
                           its first word ("neni", "Ligji", "Nr.") to the
                           end of its last number or anchor word */
    char law[24];       /* the cited act's number, normalised as by
                           ura_lawnum_normalise(): "03/L-047", "02/L-37",
                           "01/2020"; "" for the Constitution and for the
                           same act */
    int constitution;   /* 1 when the Constitution is cited */
    int article;        /* cited article, 0 when none */
    int paragraph;      /* cited paragraph, 0 when none */
    int point;          /* cited point or sub-paragraph, 0 when none */
} ura_ref;

/* Calls fn for every reference in text[0..n) (UTF-8; invalid bytes and
 * NUL are separators), in order of start; references of one list share
 * their byte range.  fn's ura_ref is borrowed for the call.  fn returns
 * 0 to go on, anything else stops the search.  A pure function of the
 * text: it allocates nothing, keeps no state, and its time is linear in n
 * (bounded look-ahead, no backtracking beyond a few dozen tokens) however
 * hostile the text. */
void ura_refs_find(const char *text, size_t n,
                   int (*fn)(void *ctx, const ura_ref *r), void *ctx);

/* Normalise an act number as a user types it — "03/l-047", "03/Л-047",
 * "03/L–047", " 01/2020 " — into out: digits as written, "/", then "L-"
 * and the serial, or the four-digit year (19xx or 20xx).  Surrounding
 * white space is allowed, nothing else.  Returns 1 and fills out (always
 * NUL-terminated), or returns 0 with out "" when z[0..n) is not an act
 * number. */
int ura_lawnum_normalise(const char *z, size_t n, char out[24]);

/* For the unit test: 1 when the vocabulary table is sorted (lookups
 * bisect it). */
int ura_refs_vocab_sorted(void);

#endif
