/* gazetteer.h — Kosovo's municipalities and main settlements with their
 * Albanian and Serbian names (data/gazetteer.tsv), for query-time
 * synonyms: either language's name finds both.  Private to libura.
 *
 * Names are stored folded as the analyser folds a term (ura_token.term:
 * lowercase, no diacritics, đ→dj; a name with đ also with d), words
 * separated by one space ("novo brdo", "fushe kosove").  Serbian
 * Cyrillic needs no names of its own: the analyser transliterates it to
 * Latin before folding.
 *
 * Matching takes inflected forms, word by word, by the endings of the
 * name's language (rules in gazetteer.c):
 *   Albanian  Shtërpcë: shterpce shterpca shterpces shterpcen
 *             Prizren: prizreni prizrenit prizrenin; Istog: istogu istogut
 *             Ferizaj: ferizaji ferizajt; Vushtrri: vushtrria vushtrrise
 *             the linking article of "Mitrovicë e Jugut" as e, i, së, të
 *   Serbian   Štrpce: strpca strpcu strpcem; Đakovica: djakovice
 *             djakovici djakovicu djakovicom; Prizren: prizrena prizrenu
 *             prizrenom; Uroševac: urosevca urosevcu; Dečani: decana
 *             decanima; Suva Reka: suvoj reci
 *   English   as written ("north mitrovica").
 * Derived words (prizrenas, prizrenski) and other words sharing a root
 * (pecat, klinika) do not match.
 *
 * All data is static, built from data/gazetteer.tsv by tools/gazetteer-gen;
 * nothing here allocates or needs freeing, and every function is
 * thread-safe. */
#ifndef URA_GAZETTEER_H
#define URA_GAZETTEER_H

#include <stddef.h>

typedef struct ura_place {
    const char *id;           /* "shterpce", "mitrovice-e-jugut"          */
    size_t nnames;
    const char *const *names; /* folded names, each in one language        */
} ura_place;

/* Does the run of folded query words terms[0..n) (lens[i] bytes each, not
 * necessarily NUL-terminated) start with a place name in any language,
 * inflected forms included ("shterpces", "strpcu", "prizrenit",
 * "djakovici")?  Returns how many words the longest such name took (0 =
 * none) and sets *place to it (static data, never freed; NULL when 0). */
size_t ura_gazetteer_match(const char *const *terms, const size_t *lens,
                           size_t n, const ura_place **place);

/* The places in the order of data/gazetteer.tsv: how many there are, and
 * the i-th (NULL past the end). */
const ura_place *ura_gazetteer_place(size_t i);
size_t ura_gazetteer_count(void);

/* About one place: its names as written (UTF-8, with diacritics), the
 * language of its i-th name ("sq", "sr" or "en"), its kind
 * ("municipality" or "settlement") and the id of its municipality ("-"
 * when it spans several).  Static strings; NULL for a bad index. */
const char *ura_place_name_text(const ura_place *p, size_t i);
const char *ura_place_name_lang(const ura_place *p, size_t i);
const char *ura_place_kind(const ura_place *p);
const char *ura_place_municipality(const ura_place *p);

#endif
