/* refs.c — references to other acts in running text (contract in refs.h).
 * A lexer folds each word to lowercase ASCII Latin (Serbian Cyrillic
 * transliterated, diacritics dropped, look-alike letters of the other
 * script repaired), and a small grammar of citations reads its tokens
 * with a bounded look-ahead: the time is linear in the text. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "refs.h"
#include "util.h"

/* ---- vocabulary: folded word forms and what they can be in a citation */

enum {
    R_ART = 1 << 0,    /* article: neni, član, члан, article             */
    R_PAR = 1 << 1,    /* paragraph: paragrafi, stav, paragraph          */
    R_PT = 1 << 2,     /* point, sub-paragraph: pika, tačka, point       */
    R_CHAP = 1 << 3,   /* chapter: kapitulli, poglavlje, chapter         */
    R_CONST = 1 << 4,  /* the Constitution                               */
    R_ACT = 1 << 5,    /* a kind of act that carries a number            */
    R_DOC = 1 << 6,    /* another document: statute, convention, code    */
    R_NR = 1 << 7,     /* Nr., No., Br.                                  */
    R_SELF = 1 << 8,   /* this: këtij, ovog, this                        */
    R_CONN = 1 << 9,   /* genitive link: i, e, të, së, of, the, iz, od   */
    R_AND = 1 << 10,   /* list: dhe, i, and, ili, or                     */
    R_TO = 1 << 11,    /* range: deri, do, to, through                   */
    R_FROM = 1 << 12,  /* range start: nga, od, from                     */
    R_GAZ = 1 << 13,   /* the Official Gazette: gazeta, službeni list    */
    R_REPUB = 1 << 14, /* "of the Republic of Kosovo"                    */
    R_IN = 1 << 15,    /* in: në, u, in ("Kushtetuta, në nenin 58")      */
    R_TITLE = 1 << 16  /* a title goes on: për, o, on                    */
};
#define R_LEVEL (R_ART | R_PAR | R_PT | R_CHAP)

enum {
    F_NOM = 1 << 0,  /* nominative: a heading ("Neni 5"); for documents,
                        not a genitive anchor without a connector */
    F_PL = 1 << 1,   /* plural: "5, 6" is a list even without "and" */
    F_ABBR = 1 << 2, /* abbreviation: counts only with its full stop */
    F_SQ = 1 << 3,   /* the word's language, to pair connectors with */
    F_SR = 1 << 4,   /* the words they link ("i" links Albanian words; */
    F_EN = 1 << 5    /* in Serbian it is "and")                        */
};
#define F_LANG (F_SQ | F_SR | F_EN)

typedef struct vocab {
    const char *word;
    unsigned roles, flags;
} vocab;

/* Sorted by strcmp (ura_refs_vocab_sorted() checks it). */
static const vocab vocab_table[] = {
    {"agreement", R_DOC, F_EN|F_NOM},
    {"ai", R_ACT, 0},
    {"alineja", R_PT, F_SQ|F_SR},
    {"alineje", R_PT, F_SR},
    {"alineji", R_PT, F_SR},
    {"and", R_AND, 0},
    {"apo", R_AND, 0},
    {"art", R_ART, F_ABBR|F_EN|F_PL},
    {"article", R_ART, F_EN|F_NOM},
    {"articles", R_ART, F_EN|F_PL},
    {"arts", R_ART, F_ABBR|F_EN|F_PL},
    {"au", R_ACT, 0},
    {"br", R_NR, 0},
    {"broj", R_NR, 0},
    {"chapter", R_CHAP, F_EN},
    {"chapters", R_CHAP, F_EN},
    {"charter", R_DOC, F_EN|F_NOM},
    {"cl", R_ART, F_ABBR|F_PL|F_SR},
    {"clan", R_ART, F_NOM|F_SR},
    {"clana", R_ART, F_SR},
    {"clanom", R_ART, F_SR},
    {"clanova", R_ART, F_PL|F_SR},
    {"clanove", R_ART, F_PL|F_SR},
    {"clanovi", R_ART, F_PL|F_SR},
    {"clanovima", R_ART, F_PL|F_SR},
    {"clanu", R_ART, F_SR},
    {"code", R_DOC, F_EN|F_NOM},
    {"constitution", R_CONST, F_EN|F_NOM},
    {"convention", R_DOC, F_EN|F_NOM},
    {"decision", R_ACT, F_EN|F_NOM},
    {"decisions", R_ACT, F_EN|F_NOM},
    {"declaration", R_DOC, F_EN|F_NOM},
    {"deklaracija", R_DOC, F_NOM|F_SR},
    {"deklaracije", R_DOC, F_SR},
    {"deklarata", R_DOC, F_NOM|F_SQ},
    {"deklarates", R_DOC, F_SQ},
    {"deri", R_TO, 0},
    {"dhe", R_AND, 0},
    {"directive", R_DOC, F_EN|F_NOM},
    {"direktiva", R_DOC, F_NOM|F_SQ|F_SR},
    {"direktive", R_DOC, F_SR},
    {"direktives", R_DOC, F_SQ},
    {"do", R_TO, 0},
    {"e", R_AND|R_CONN|R_REPUB, F_SQ},
    {"from", R_FROM, 0},
    {"gazeta", R_GAZ, 0},
    {"gazeten", R_GAZ, 0},
    {"gazetes", R_GAZ, 0},
    {"gazette", R_GAZ, 0},
    {"glava", R_CHAP, F_SR},
    {"glave", R_CHAP, F_SR},
    {"glavi", R_CHAP, F_SR},
    {"i", R_AND|R_CONN|R_REPUB, F_SQ},
    {"ili", R_AND, 0},
    {"in", R_IN, 0},
    {"instruction", R_ACT, F_EN|F_NOM},
    {"instructions", R_ACT, F_EN|F_NOM},
    {"iz", R_CONN, F_SR},
    {"journal", R_GAZ, 0},
    {"kapitull", R_CHAP, F_SQ},
    {"kapitulli", R_CHAP, F_SQ},
    {"kapitullin", R_CHAP, F_SQ},
    {"kapitullit", R_CHAP, F_SQ},
    {"karta", R_DOC, F_NOM|F_SQ},
    {"kartes", R_DOC, F_SQ},
    {"kesaj", R_SELF, 0},
    {"kete", R_SELF, 0},
    {"ketij", R_SELF, 0},
    {"kodi", R_DOC, F_NOM|F_SQ},
    {"kodin", R_DOC, F_SQ},
    {"kodit", R_DOC, F_SQ},
    {"konvencija", R_DOC, F_NOM|F_SR},
    {"konvencije", R_DOC, F_SR},
    {"konvenciji", R_DOC, F_SR},
    {"konvenciju", R_DOC, F_SR},
    {"konventa", R_DOC, F_NOM|F_SQ},
    {"konventat", R_DOC, F_SQ},
    {"konventen", R_DOC, F_SQ},
    {"konventes", R_DOC, F_SQ},
    {"kosova", R_REPUB, 0},
    {"kosoves", R_REPUB, 0},
    {"kosovo", R_REPUB, 0},
    {"kreu", R_CHAP, F_SQ},
    {"kreun", R_CHAP, F_SQ},
    {"kreut", R_CHAP, F_SQ},
    {"kushtetuta", R_CONST, F_NOM|F_SQ},
    {"kushtetute", R_CONST, F_NOM|F_SQ},
    {"kushtetuten", R_CONST, F_SQ},
    {"kushtetutes", R_CONST, F_SQ},
    {"law", R_ACT, F_EN|F_NOM},
    {"laws", R_ACT, F_EN|F_NOM},
    {"ligj", R_ACT, F_NOM|F_SQ},
    {"ligje", R_ACT, F_SQ},
    {"ligjet", R_ACT, F_SQ},
    {"ligjeve", R_ACT, F_SQ},
    {"ligji", R_ACT, F_NOM|F_SQ},
    {"ligjin", R_ACT, F_SQ},
    {"ligjit", R_ACT, F_SQ},
    {"list", R_GAZ, 0},
    {"lista", R_GAZ, 0},
    {"listu", R_GAZ, 0},
    {"marreveshja", R_DOC, F_NOM|F_SQ},
    {"marreveshjen", R_DOC, F_SQ},
    {"marreveshjes", R_DOC, F_SQ},
    {"ne", R_IN, 0},
    {"nen-paragrafi", R_PT, F_SQ},
    {"nen-paragrafin", R_PT, F_SQ},
    {"nen-paragrafit", R_PT, F_SQ},
    {"nenet", R_ART, F_PL|F_SQ},
    {"neneve", R_ART, F_PL|F_SQ},
    {"neni", R_ART, F_NOM|F_SQ},
    {"nenin", R_ART, F_SQ},
    {"nenit", R_ART, F_SQ},
    {"nenparagraf", R_PT, F_SQ},
    {"nenparagrafet", R_PT, F_PL|F_SQ},
    {"nenparagrafi", R_PT, F_SQ},
    {"nenparagrafin", R_PT, F_SQ},
    {"nenparagrafit", R_PT, F_SQ},
    {"nenpika", R_PT, F_SQ},
    {"nenpikat", R_PT, F_PL|F_SQ},
    {"nga", R_FROM, 0},
    {"no", R_NR, 0},
    {"nr", R_NR, 0},
    {"o", R_TITLE, 0},
    {"od", R_CONN|R_FROM, F_SR},
    {"odluci", R_ACT, F_SR},
    {"odluka", R_ACT, F_NOM|F_SR},
    {"odlukama", R_ACT, F_SR},
    {"odluke", R_ACT, F_SR},
    {"odlukom", R_ACT, F_SR},
    {"odluku", R_ACT, F_SR},
    {"of", R_CONN|R_REPUB, F_EN},
    {"on", R_TITLE, 0},
    {"or", R_AND, 0},
    {"ose", R_AND, 0},
    {"ova", R_SELF, 0},
    {"ovaj", R_SELF, 0},
    {"ove", R_SELF, 0},
    {"ovim", R_SELF, 0},
    {"ovo", R_SELF, 0},
    {"ovog", R_SELF, 0},
    {"ovoga", R_SELF, 0},
    {"ovom", R_SELF, 0},
    {"par", R_PAR, F_ABBR|F_PL},
    {"para", R_PAR, F_ABBR|F_EN|F_PL},
    {"paragraf", R_PAR, F_SQ},
    {"paragrafe", R_PAR, F_PL|F_SQ},
    {"paragrafet", R_PAR, F_PL|F_SQ},
    {"paragrafeve", R_PAR, F_PL|F_SQ},
    {"paragrafi", R_PAR, F_SQ},
    {"paragrafin", R_PAR, F_SQ},
    {"paragrafit", R_PAR, F_SQ},
    {"paragraph", R_PAR, F_EN},
    {"paragraphs", R_PAR, F_EN|F_PL},
    {"paras", R_PAR, F_ABBR|F_EN|F_PL},
    {"per", R_TITLE, 0},
    {"pika", R_PT, F_SQ},
    {"pikat", R_PT, F_PL|F_SQ},
    {"pikave", R_PT, F_PL|F_SQ},
    {"pike", R_PT, F_SQ},
    {"piken", R_PT, F_SQ},
    {"pikes", R_PT, F_SQ},
    {"podstav", R_PT, F_SR},
    {"podstava", R_PT, F_SR},
    {"podstavu", R_PT, F_SR},
    {"poglavlja", R_CHAP, F_SR},
    {"poglavlje", R_CHAP, F_SR},
    {"poglavljem", R_CHAP, F_SR},
    {"poglavlju", R_CHAP, F_SR},
    {"point", R_PT, F_EN},
    {"points", R_PT, F_EN|F_PL},
    {"povelja", R_DOC, F_NOM|F_SR},
    {"povelje", R_DOC, F_SR},
    {"pravilnici", R_ACT, F_SR},
    {"pravilnicima", R_ACT, F_SR},
    {"pravilnik", R_ACT, F_NOM|F_SR},
    {"pravilnika", R_ACT, F_SR},
    {"pravilnike", R_ACT, F_SR},
    {"pravilnikom", R_ACT, F_SR},
    {"pravilniku", R_ACT, F_SR},
    {"present", R_SELF, 0},
    {"protocol", R_DOC, F_EN|F_NOM},
    {"protokol", R_DOC, F_NOM|F_SR},
    {"protokola", R_DOC, F_SR},
    {"protokolli", R_DOC, F_NOM|F_SQ},
    {"protokollit", R_DOC, F_SQ},
    {"regulation", R_ACT, F_EN|F_NOM},
    {"regulations", R_ACT, F_EN|F_NOM},
    {"republic", R_REPUB, 0},
    {"republika", R_REPUB, 0},
    {"republike", R_REPUB, 0},
    {"republikes", R_REPUB, 0},
    {"resolution", R_DOC, F_EN|F_NOM},
    {"rezolucija", R_DOC, F_NOM|F_SR},
    {"rezolucije", R_DOC, F_SR},
    {"rezoluta", R_DOC, F_NOM|F_SQ},
    {"rezolutes", R_DOC, F_SQ},
    {"rregullore", R_ACT, F_NOM|F_SQ},
    {"rregulloren", R_ACT, F_SQ},
    {"rregullores", R_ACT, F_SQ},
    {"rregulloret", R_ACT, F_SQ},
    {"rregulloreve", R_ACT, F_SQ},
    {"rregullorja", R_ACT, F_NOM|F_SQ},
    {"se", R_CONN|R_REPUB, F_SQ},
    {"sluzbeni", R_GAZ, 0},
    {"sluzbenog", R_GAZ, 0},
    {"sluzbenoj", R_GAZ, 0},
    {"sluzbenom", R_GAZ, 0},
    {"sporazum", R_DOC, F_NOM|F_SR},
    {"sporazuma", R_DOC, F_SR},
    {"sporazumu", R_DOC, F_SR},
    {"st", R_PAR, F_ABBR|F_PL|F_SR},
    {"statut", R_DOC, F_NOM|F_SQ|F_SR},
    {"statuta", R_DOC, F_SR},
    {"statute", R_DOC, F_EN|F_NOM},
    {"statuti", R_DOC, F_NOM|F_SQ},
    {"statutin", R_DOC, F_SQ},
    {"statutit", R_DOC, F_SQ},
    {"statutom", R_DOC, F_SR},
    {"statutu", R_DOC, F_SR},
    {"stav", R_PAR, F_SR},
    {"stava", R_PAR, F_SR},
    {"stavom", R_PAR, F_SR},
    {"stavova", R_PAR, F_PL|F_SR},
    {"stavove", R_PAR, F_PL|F_SR},
    {"stavovi", R_PAR, F_PL|F_SR},
    {"stavovima", R_PAR, F_PL|F_SR},
    {"stavu", R_PAR, F_SR},
    {"sub-paragraph", R_PT, F_EN},
    {"sub-paragraphs", R_PT, F_EN|F_PL},
    {"subparagraph", R_PT, F_EN},
    {"subparagraphs", R_PT, F_EN|F_PL},
    {"tac", R_PT, F_ABBR|F_PL|F_SR},
    {"tacaka", R_PT, F_PL|F_SR},
    {"tacka", R_PT, F_SR},
    {"tackama", R_PT, F_PL|F_SR},
    {"tacke", R_PT, F_PL|F_SR},
    {"tacki", R_PT, F_SR},
    {"tackom", R_PT, F_SR},
    {"tacku", R_PT, F_SR},
    {"te", R_CONN|R_REPUB, F_SQ},
    {"the", R_CONN|R_REPUB, F_EN},
    {"this", R_SELF, 0},
    {"through", R_TO, 0},
    {"to", R_TO, 0},
    {"tog", R_SELF, 0},
    {"toga", R_SELF, 0},
    {"u", R_IN, 0},
    {"ua", R_ACT, 0},
    {"udhezim", R_ACT, F_NOM|F_SQ},
    {"udhezime", R_ACT, F_SQ},
    {"udhezimet", R_ACT, F_SQ},
    {"udhezimeve", R_ACT, F_SQ},
    {"udhezimi", R_ACT, F_NOM|F_SQ},
    {"udhezimin", R_ACT, F_SQ},
    {"udhezimit", R_ACT, F_SQ},
    {"uputstava", R_ACT, F_SR},
    {"uputstva", R_ACT, F_SR},
    {"uputstvima", R_ACT, F_SR},
    {"uputstvo", R_ACT, F_NOM|F_SR},
    {"uputstvom", R_ACT, F_SR},
    {"uputstvu", R_ACT, F_SR},
    {"uredba", R_ACT, F_NOM|F_SR},
    {"uredbama", R_ACT, F_SR},
    {"uredbe", R_ACT, F_SR},
    {"uredbi", R_ACT, F_SR},
    {"uredbom", R_ACT, F_SR},
    {"uredbu", R_ACT, F_SR},
    {"ustav", R_CONST, F_NOM|F_SR},
    {"ustava", R_CONST, F_SR},
    {"ustavom", R_CONST, F_SR},
    {"ustavu", R_CONST, F_SR},
    {"vendim", R_ACT, F_NOM|F_SQ},
    {"vendimet", R_ACT, F_SQ},
    {"vendimeve", R_ACT, F_SQ},
    {"vendimi", R_ACT, F_NOM|F_SQ},
    {"vendimin", R_ACT, F_SQ},
    {"vendimit", R_ACT, F_SQ},
    {"zakon", R_ACT, F_NOM|F_SR},
    {"zakona", R_ACT, F_SR},
    {"zakone", R_ACT, F_SR},
    {"zakoni", R_ACT, F_SR},
    {"zakonik", R_DOC, F_NOM|F_SR},
    {"zakonika", R_DOC, F_SR},
    {"zakoniku", R_DOC, F_SR},
    {"zakonima", R_ACT, F_SR},
    {"zakonom", R_ACT, F_SR},
    {"zakonu", R_ACT, F_SR},
};

#define NVOCAB (sizeof vocab_table / sizeof vocab_table[0])
#define VOCAB_MAXLEN 14 /* the longest word in the table */

/* Where the words beginning with each letter start in the table: a-z,
 * then the end.  Built once a call (a few hundred steps), so that adding
 * a word needs no other change. */
typedef struct vocab_index {
    uint16_t first[27];
} vocab_index;

static void index_vocab(vocab_index *x)
{
    size_t i = 0;
    for (int c = 0; c < 26; c++) {
        while (i < NVOCAB && (unsigned char)vocab_table[i].word[0] < 'a' + c)
            i++;
        x->first[c] = (uint16_t)i;
    }
    x->first[26] = (uint16_t)NVOCAB;
}

int ura_refs_vocab_sorted(void)
{
    for (size_t i = 0; i < NVOCAB; i++)
        if ((i && strcmp(vocab_table[i - 1].word, vocab_table[i].word) >= 0) ||
            strlen(vocab_table[i].word) > VOCAB_MAXLEN ||
            vocab_table[i].word[0] < 'a' || vocab_table[i].word[0] > 'z')
            return 0;
    return 1;
}

static const vocab *lookup(const vocab_index *x, const char *w, size_t k)
{
    if (k > VOCAB_MAXLEN || w[0] < 'a' || w[0] > 'z')
        return NULL;
    size_t lo = x->first[w[0] - 'a'], hi = x->first[w[0] - 'a' + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(w, vocab_table[mid].word);
        if (c == 0)
            return &vocab_table[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* ---- characters */

/* The code point at z[0..n) (n > 0), its length in *len; an invalid byte
 * is U+FFFD, one byte long. */
static uint32_t decode(const unsigned char *z, size_t n, size_t *len)
{
    if (z[0] < 0x80) {
        *len = 1;
        return z[0];
    }
    if (z[0] >= 0xC2 && z[0] < 0xE0 && n > 1 && (z[1] & 0xC0) == 0x80) {
        *len = 2; /* ë, č, Cyrillic: the common case, checked in full */
        return (uint32_t)(z[0] & 0x1F) << 6 | (z[1] & 0x3F);
    }
    size_t k = ura_utf8_seq(z, n);
    if (k <= 1) {
        *len = 1;
        return k ? z[0] : 0xFFFD;
    }
    uint32_t c = z[0] & (0xFFu >> (k + 1));
    for (size_t i = 1; i < k; i++)
        c = (c << 6) | (z[i] & 0x3F);
    *len = k;
    return c;
}

static int is_space(uint32_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

static int is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static int is_hyphen(uint32_t c)
{
    return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212;
}

static int is_cyrillic(uint32_t c)
{
    return c >= 0x400 && c <= 0x52F;
}

static int is_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
           (c >= 0x1E00 && c <= 0x1EFF) || is_cyrillic(c);
}

static int is_mark(uint32_t c)
{
    return c >= 0x300 && c <= 0x36F;
}

static int is_upper(uint32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z';
    if (c >= 0xC0 && c <= 0xDE)
        return c != 0xD7;
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177) ||
        (c >= 0x460 && c <= 0x52F))
        return !(c & 1);
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return c & 1;
    return c == 0x178 || (c >= 0x400 && c <= 0x42F);
}

/* Folding, one letter to at most two: Latin without its marks (đ and ð
 * are "dj"), Serbian Cyrillic in Gaj's Latin likewise ("" or "?" for
 * letters Serbian does not have, so that such words match nothing). */
static const char latin1[] = /* U+00C0..U+00FF */
    "aaaaaaaceeeeiiii" "?nooooo?ouuuuyts" "aaaaaaaceeeeiiii" "?nooooo?ouuuuyty";
static const char latin_a[] = /* U+0100..U+017F */
    "aaaaaaccccccccdd" "??eeeeeeeeeegggg" "gggghhhhiiiiiiii" "iiiijjkkklllllll"
    "lllnnnnnnnnnoooo" "oooorrrrrrssssss" "ssttttttuuuuuuuu" "uuuuwwyyyzzzzzzs";
static const char *const cyr_a[32] = { /* U+0430..U+044F */
    "a", "b", "v", "g", "d", "e", "z", "z", "i", "j", "k", "l", "m", "n", "o", "p",
    "r", "s", "t", "u", "f", "h", "c", "c", "s", "s", "?", "y", "?", "e", "ju", "ja"};
static const char *const cyr_b[16] = { /* U+0450..U+045F */
    "e", "e", "dj", "g", "e", "dz", "i", "i", "j", "lj", "nj", "c", "k", "i", "u", "dz"};

/* In a mostly Latin word, a Cyrillic letter that looks Latin reads as
 * that letter ("Рrishtina"); lc is lowercase. */
static char cyr_lookalike(uint32_t lc)
{
    switch (lc) {
    case 0x430: return 'a';
    case 0x432: return 'b';
    case 0x435: return 'e';
    case 0x43A: return 'k';
    case 0x43C: return 'm';
    case 0x43D: return 'h';
    case 0x43E: return 'o';
    case 0x440: return 'p';
    case 0x441: return 'c';
    case 0x442: return 't';
    case 0x443: return 'y';
    case 0x445: return 'x';
    case 0x455: return 's';
    case 0x456: return 'i';
    case 0x458: return 'j';
    default: return 0;
    }
}

/* In a mostly Cyrillic word, a Latin letter reads as the Cyrillic letter
 * it looks like ("Cрбија", "Зaкон"), transliterated. */
static char lat_lookalike(char c)
{
    switch (c) {
    case 'b': return 'v';
    case 'c': return 's';
    case 'h': return 'n';
    case 'p': return 'r';
    case 'x': return 'h';
    case 'y': return 'u';
    default: return c;
    }
}

static const char *fold_char(uint32_t c, int cyrword, char buf[2])
{
    buf[1] = '\0';
    if (c < 0x80) {
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        buf[0] = c >= 'a' && c <= 'z' && cyrword ? lat_lookalike((char)c)
                 : c == '\'' || c == '-' ? (char)c
                 : c >= 'a' && c <= 'z' ? (char)c : '?';
        return buf;
    }
    if (c == 0x2019)
        return "'";
    if (c == 0x2010 || c == 0x2011)
        return "-";
    if (is_mark(c))
        return "";
    if (c == 0xD0 || c == 0xF0 || c == 0x110 || c == 0x111)
        return "dj";
    if (c >= 0xC0 && c <= 0xFF) {
        buf[0] = latin1[c - 0xC0];
        return buf;
    }
    if (c >= 0x100 && c <= 0x17F) {
        buf[0] = latin_a[c - 0x100];
        return buf;
    }
    if (is_cyrillic(c)) {
        uint32_t lc = c >= 0x400 && c <= 0x40F ? c + 0x50
                      : c >= 0x410 && c <= 0x42F ? c + 0x20 : c;
        if (!cyrword && (buf[0] = cyr_lookalike(lc)) != 0)
            return buf;
        if (lc >= 0x430 && lc <= 0x44F)
            return cyr_a[lc - 0x430];
        if (lc >= 0x450 && lc <= 0x45F)
            return cyr_b[lc - 0x450];
    }
    return "?";
}

/* Position of a letter in its alphabet (Latin a-z, Serbian azbuka), for
 * lettered points; 0 when c is no such letter. */
static int letter_index(uint32_t c)
{
    static const uint16_t azbuka[30] = {
        0x430, 0x431, 0x432, 0x433, 0x434, 0x452, 0x435, 0x436, 0x437, 0x438,
        0x458, 0x43A, 0x43B, 0x459, 0x43C, 0x43D, 0x45A, 0x43E, 0x43F, 0x440,
        0x441, 0x442, 0x45B, 0x443, 0x444, 0x445, 0x446, 0x447, 0x45F, 0x448};
    if (c >= 'A' && c <= 'Z')
        return (int)(c - 'A') + 1;
    if (c >= 'a' && c <= 'z')
        return (int)(c - 'a') + 1;
    if (c >= 0x400 && c <= 0x40F)
        c += 0x50;
    else if (c >= 0x410 && c <= 0x42F)
        c += 0x20;
    for (int i = 0; i < 30; i++)
        if (azbuka[i] == c)
            return i + 1;
    return 0;
}

/* An act number at z[i..n): 1-3 digits, "/", L or Л (either case), a
 * hyphen or dash (one space allowed either side), 1-4 digits; or 1-3
 * digits, "/", a year 19xx or 20xx.  No letter, digit or "/" may follow.
 * Writes the normalised number to law, *year whether it is NN/YYYY, and
 * returns the end; 0 when there is none. */
static size_t actnum_at(const unsigned char *z, size_t n, size_t i,
                        char law[24], int *year)
{
    size_t j = i, k, s, len;
    uint32_t c;
    while (j < n && is_digit(z[j]) && j - i < 4)
        j++;
    if (j - i < 1 || j - i > 3 || j + 1 >= n || z[j] != '/')
        return 0;
    memcpy(law, z + i, j - i);
    k = j - i;
    law[k++] = '/';
    j++;
    c = decode(z + j, n - j, &len);
    if (c == 'L' || c == 'l' || c == 0x41B || c == 0x43B) {
        j += len;
        if (j < n && z[j] == ' ')
            j++;
        if (j >= n || !is_hyphen(c = decode(z + j, n - j, &len)))
            return 0;
        j += len;
        if (j < n && z[j] == ' ')
            j++;
        for (s = j; j < n && is_digit(z[j]) && j - s < 5; j++)
            ;
        if (j - s < 1 || j - s > 4)
            return 0;
        law[k++] = 'L';
        law[k++] = '-';
        *year = 0;
    } else {
        for (s = j; j < n && is_digit(z[j]) && j - s < 5; j++)
            ;
        if (j - s != 4 || !((z[s] == '1' && z[s + 1] == '9') ||
                            (z[s] == '2' && z[s + 1] == '0')))
            return 0;
        *year = 1;
    }
    memcpy(law + k, z + s, j - s);
    law[k + (j - s)] = '\0';
    if (j < n) {
        c = decode(z + j, n - j, &len);
        if (is_letter(c) || is_mark(c) || is_digit(c) || c == '/')
            return 0;
    }
    return j;
}

/* ---- tokens */

enum tkind { T_END, T_WORD, T_NUM, T_LAWNUM, T_YEARNUM, T_PUNCT, T_OTHER };

#define WMAX 24 /* room for a folded word; the vocabulary's are shorter */

typedef struct tok {
    enum tkind kind;
    size_t start, end;      /* bytes */
    unsigned linestart : 1; /* first on its line, or in the text */
    unsigned blank : 1;     /* an empty line before it */
    unsigned cap : 1;       /* T_WORD: begins with a capital */
    unsigned roman : 1;     /* T_WORD: a Roman numeral in capitals */
    unsigned bad : 1;       /* T_NUM: no article number (a date, huge) */
    uint32_t cp;            /* T_PUNCT: the character; T_WORD: 1st letter */
    int nletters;           /* T_WORD, counted up to 2 */
    int part[3], nparts;    /* T_NUM: "5", "5.2", "5.2.3" */
    unsigned roles, flags;  /* T_WORD: from the vocabulary */
    union {
        char w[WMAX + 1];   /* T_WORD: folded, cut after VOCAB_MAXLEN + 1 */
        char law[24];       /* T_LAWNUM, T_YEARNUM: normalised */
    };
} tok;

static void lex_number(const unsigned char *z, size_t n, size_t i, tok *t)
{
    int year;
    size_t len, j = i;
    if (i == 0 || !((z[i - 1] >= '0' && z[i - 1] <= '9') || z[i - 1] == '/' ||
                    ((z[i - 1] | 0x20) >= 'a' && (z[i - 1] | 0x20) <= 'z'))) {
        size_t e = actnum_at(z, n, i, t->law, &year);
        if (e) {
            t->kind = year ? T_YEARNUM : T_LAWNUM;
            t->end = e;
            return;
        }
    }
    size_t longest = 0;
    t->kind = T_NUM;
    for (;;) {
        size_t s = j;
        int v = 0;
        for (; j < n && is_digit(z[j]); j++)
            if (v < 100000)
                v = v * 10 + (z[j] - '0');
        if (t->nparts < 3)
            t->part[t->nparts] = v;
        if (t->nparts < 4)
            t->nparts++;
        if (v > 9999 || j - s > 4)
            t->bad = 1;
        if (j - s > longest)
            longest = j - s;
        if (j + 1 < n && z[j] == '.' && is_digit(z[j + 1])) {
            j++;
            continue;
        }
        break;
    }
    if (t->nparts > 3) {
        t->nparts = 3;
        t->bad = 1;
    }
    if (t->nparts > 1 && longest > 3)
        t->bad = 1; /* "15.02.2023", "5.3.2021" */
    t->end = j;
    if (j < n && is_letter(decode(z + j, n - j, &len)))
        t->kind = T_OTHER; /* "5th", "5a" */
}

static int ascii_letter(unsigned char b)
{
    return (unsigned)((b | 0x20) - 'a') < 26;
}

static void lex_word(const unsigned char *z, size_t n, size_t i, tok *t,
                     const vocab_index *x)
{
    size_t j = i, len, len2;
    int lat = 0, cyr = 0, roman = 1;
    /* the word's extent (inner hyphens and apostrophes join letters), its
     * majority script, first letter, and whether it is a Roman numeral */
    while (j < n) {
        uint32_t c;
        if (z[j] < 0x80) {
            c = z[j];
            len = 1;
            if (ascii_letter(z[j])) {
                lat++;
                if (roman && !strchr("IVXLCDM", z[j]))
                    roman = 0;
            } else if ((c == '-' || c == '\'') && j + 1 < n &&
                       (ascii_letter(z[j + 1]) ||
                        (z[j + 1] >= 0x80 && is_letter(decode(z + j + 1, n - j - 1, &len2)))))
                roman = 0;
            else
                break;
        } else {
            c = decode(z + j, n - j, &len);
            roman = 0;
            if (is_letter(c)) {
                if (is_cyrillic(c))
                    cyr++;
                else
                    lat++;
            } else if (!is_mark(c) &&
                       !((c == 0x2010 || c == 0x2011 || c == 0x2019) && j + len < n &&
                         is_letter(decode(z + j + len, n - j - len, &len2))))
                break;
        }
        if (j == i) {
            t->cp = c;
            t->cap = is_upper(c);
        }
        if (t->nletters < 2 && is_letter(c))
            t->nletters++;
        j += len;
    }
    t->kind = T_WORD;
    t->end = j;
    t->roman = roman;
    /* the folded form, if it could be in the vocabulary at all */
    size_t k = 0;
    if (j - i <= 2 * VOCAB_MAXLEN) {
        char buf[2];
        int cyrword = cyr > lat;
        for (size_t p = i; p < j && k <= VOCAB_MAXLEN; p += len) {
            if (z[p] < 0x80 && !cyrword) {
                t->w[k++] = (char)(z[p] | (ascii_letter(z[p]) ? 0x20 : 0));
                len = 1;
                continue;
            }
            const char *f = fold_char(decode(z + p, j - p, &len), cyrword, buf);
            while (*f && k < WMAX)
                t->w[k++] = *f++;
        }
    }
    t->w[k] = '\0';
    const vocab *v = lookup(x, t->w, k);
    if (v) {
        t->roles = v->roles;
        t->flags = v->flags;
    }
}

static void lex_raw(const unsigned char *z, size_t n, size_t pos, tok *t,
                    const vocab_index *x)
{
    size_t i = pos, len;
    int nl = 0;
    uint32_t c = 0;
    memset(t, 0, sizeof *t);
    for (; i < n; i += len) {
        c = decode(z + i, n - i, &len);
        if (!is_space(c))
            break;
        if (c == '\n' || c == '\v' || c == '\f' || c == 0x2028 || c == 0x2029 ||
            (c == '\r' && !(i + 1 < n && z[i + 1] == '\n')))
            nl++;
    }
    t->linestart = pos == 0 || nl > 0;
    t->blank = nl > 1;
    t->start = t->end = i;
    if (i >= n)
        t->kind = T_END;
    else if (is_digit(c))
        lex_number(z, n, i, t);
    else if (is_letter(c))
        lex_word(z, n, i, t, x);
    else {
        t->kind = T_PUNCT;
        t->cp = c;
        t->end = i + len;
    }
}

/* Tokens are read again when a citation is tried from several places;
 * a small cache keeps that from costing twice on long tokens. */
#define NCACHE 32

typedef struct lexer {
    const unsigned char *z;
    size_t n;
    size_t key[NCACHE]; /* position + 1; 0: empty */
    tok cache[NCACHE];
    vocab_index vocab;
} lexer;

/* The token that starts at or after pos (white space skipped). */
static void lex(lexer *L, size_t pos, tok *t)
{
    size_t h = pos % NCACHE;
    if (L->key[h] != pos + 1) {
        lex_raw(L->z, L->n, pos, &L->cache[h], &L->vocab);
        L->key[h] = pos + 1;
    }
    *t = L->cache[h];
}

static int is_punct(const tok *t, uint32_t c)
{
    return t->kind == T_PUNCT && t->cp == c;
}

static int is_dash(const tok *t)
{
    return t->kind == T_PUNCT && is_hyphen(t->cp);
}

/* ---- citations */

enum { LV_ART, LV_PAR, LV_PT, LV_CHAP };

#define MAXL 20 /* numbers kept per level; references per group */

static int level_of(const tok *t)
{
    if (t->kind != T_WORD)
        return -1;
    return t->roles & R_ART ? LV_ART : t->roles & R_PAR ? LV_PAR
           : t->roles & R_PT ? LV_PT : t->roles & R_CHAP ? LV_CHAP : -1;
}

/* Where the numbers after structure word t start; 0 when t is an
 * abbreviation without its full stop ("čl." counts, "cl" does not). */
static size_t after_word(lexer *L, const tok *t)
{
    tok u;
    if (!(t->flags & F_ABBR))
        return t->end;
    lex(L, t->end, &u);
    return is_punct(&u, '.') ? u.end : 0;
}

static int letter_value(const tok *t)
{
    return t->kind == T_WORD && t->nletters == 1 ? letter_index(t->cp) : 0;
}

/* One number of level lvl at t, returned (0: none) with its end.  With
 * sub (the first number of a list) it may carry deeper levels: "5.2",
 * "5.2.3", "5(2)", "6(3)(b)", which go to sub[level]. */
static int item(lexer *L, const tok *t, int lvl, int sub[3], size_t *end)
{
    tok u, v, w;
    if (t->kind == T_NUM) {
        if (t->bad || t->part[0] < 1 || (t->nparts > 1 && (!sub || lvl > LV_PT)))
            return 0;
        *end = t->end;
        if (lvl == LV_PT && t->nparts > 1) {
            /* "pika 2.4", "tačka 2.4": point 4 of paragraph 2 */
            if (t->nparts > 2 || t->part[1] < 1)
                return 0;
            sub[LV_PAR] = t->part[0];
            return t->part[1];
        }
        if (!sub || lvl >= LV_PT)
            return t->part[0];
        int next = lvl + 1;
        for (int i = 1; i < t->nparts; i++, next++) {
            if (next > LV_PT || t->part[i] < 1)
                return 0;
            sub[next] = t->part[i];
        }
        size_t p = t->end;
        for (int k = 0; k < 2 && next <= LV_PT; k++) {
            lex(L, p, &u);
            if (!is_punct(&u, '('))
                break;
            lex(L, u.end, &v);
            int val = 0, to = next;
            if (v.kind == T_NUM && !v.bad && v.nparts == 1 && v.part[0] > 0 &&
                v.part[0] < 1000)
                val = v.part[0];
            else if ((val = letter_value(&v)) != 0)
                to = LV_PT;
            else
                break;
            lex(L, v.end, &w);
            if (!is_punct(&w, ')'))
                break;
            sub[to] = val;
            next = to + 1;
            p = *end = w.end;
        }
        return t->part[0];
    }
    if (lvl == LV_CHAP && t->kind == T_WORD && t->roman) {
        *end = t->end;
        return 1; /* chapters are read, not kept */
    }
    if (lvl == LV_PT) { /* "a)", "(a)" */
        if (is_punct(t, '(')) {
            lex(L, t->end, &u);
            int val = letter_value(&u);
            lex(L, u.end, &w);
            if (val && is_punct(&w, ')')) {
                *end = w.end;
                return val;
            }
            return 0;
        }
        int val = letter_value(t);
        lex(L, t->end, &w);
        if (val && is_punct(&w, ')')) {
            *end = w.end;
            return val;
        }
    }
    return 0;
}

/* A citation's structure: articles, paragraphs and points (chapters are
 * read so that "Chapter III of the Constitution" parses, and dropped). */
typedef struct chain {
    int v[4][MAXL];
    int n[4];
    int par_hint;      /* the paragraph of "pika 2.4", when none is given */
    unsigned seen;     /* levels given, 1 << LV_* */
    size_t start, end; /* bytes: first word to last number */
    size_t next;       /* where reading goes on */
} chain;

static void add(chain *c, int lvl, int v)
{
    if (c->n[lvl] < MAXL)
        c->v[lvl][c->n[lvl]++] = v;
}

/* A range adds every number up to b, or b alone when it is reversed or
 * longer than MAXL: its two ends are cited, surely. */
static void add_range(chain *c, int lvl, int a, int b)
{
    if (b > a && b - a < MAXL)
        for (int x = a + 1; x <= b; x++)
            add(c, lvl, x);
    else
        add(c, lvl, b);
}

/* The numbers after structure word `word`, read from p: "5", "5.2",
 * "3, 4 dhe 7", "57–62", "od 57 do 62", "5 dhe neni 7".  A singular
 * word takes a comma list only when "and" or a range closes it ("nenit
 * 5, 6 dhe 7"; not "Article 5, 12 municipalities").  Returns 0 when no
 * number follows. */
static int numlist(lexer *L, size_t p, const tok *word, chain *c)
{
    int lvl = level_of(word);
    int plural = (word->flags & (F_PL | F_ABBR)) != 0;
    int sub[3] = {0, 0, 0};
    size_t end, kept_end;
    tok t, s, u;
    lex(L, p, &t);
    if (t.kind == T_WORD && (t.roles & R_FROM))
        lex(L, t.end, &t);
    int last = item(L, &t, lvl, sub, &end);
    if (!last)
        return 0;
    add(c, lvl, last);
    int count = 1, kept = c->n[lvl], kept_count = 1;
    kept_end = end;
    for (int guard = 0; guard < 4 * MAXL; guard++) {
        int range = 0, comma = 0;
        lex(L, end, &s);
        if (is_punct(&s, ','))
            comma = 1;
        else if (is_dash(&s) || (s.kind == T_WORD && (s.roles & R_TO)))
            range = 1;
        else if (!(s.kind == T_WORD && (s.roles & R_AND)))
            break;
        lex(L, s.end, &u);
        if (range && u.kind == T_WORD && (u.roles & (R_CONN | R_IN)))
            lex(L, u.end, &u); /* "deri në", "deri te" */
        if (!comma && level_of(&u) == lvl) {
            size_t q = after_word(L, &u);
            if (!q)
                break;
            lex(L, q, &u);
        }
        size_t e;
        int v = item(L, &u, lvl, NULL, &e);
        if (!v)
            break;
        if (range)
            add_range(c, lvl, last, v);
        else
            add(c, lvl, v);
        last = v;
        count++;
        end = e;
        if (!comma) {
            kept = c->n[lvl];
            kept_count = count;
            kept_end = end;
        }
    }
    if (!plural) {
        c->n[lvl] = kept;
        count = kept_count;
        end = kept_end;
    }
    if (count == 1 && lvl == LV_PT)
        c->par_hint = sub[LV_PAR];
    if (count == 1)
        for (int l = lvl + 1; l <= LV_PT; l++)
            if (sub[l] && !(c->seen & (1u << l))) {
                c->v[l][0] = sub[l];
                c->n[l] = 1;
                c->seen |= 1u << l;
            }
    c->end = c->next = end;
    return 1;
}

/* Structure words and their numbers from p, in any order, each level at
 * most once: "neni 5 paragrafi 2", "pika 3 e paragrafit 1 të nenit 8",
 * "člana 5. stav 2. tačka 3", "Article 12, paragraph 1, point 2".  A
 * connector must be of the next word's language: Albanian "i" links
 * "paragrafi 2 i nenit 5", but "stav 2 i član 5" is two citations. */
static int parse_chain(lexer *L, size_t p, chain *c)
{
    tok t, u;
    memset(c, 0, sizeof *c);
    lex(L, p, &t);
    c->start = t.start;
    int parts = 0;
    for (;;) {
        int lvl = level_of(&t);
        if (lvl < 0 || (c->seen & (1u << lvl)))
            break;
        size_t q = after_word(L, &t);
        if (!q || !numlist(L, q, &t, c))
            break;
        c->seen |= 1u << lvl;
        parts++;
        lex(L, c->next, &u);
        if (is_punct(&u, '.')) { /* an ordinal, unless a sentence ends */
            lex(L, u.end, &u);
            if (u.kind == T_WORD && u.cap)
                break;
        }
        if (is_punct(&u, ','))
            lex(L, u.end, &u);
        unsigned lang = F_LANG;
        for (int k = 0; k < 3 && u.kind == T_WORD && (u.roles & R_CONN) &&
                        level_of(&u) < 0; k++) {
            lang &= u.flags;
            lex(L, u.end, &u);
        }
        if (level_of(&u) < 0 || ((u.flags & F_LANG) && !(lang & u.flags)))
            break;
        t = u;
    }
    return parts > 0;
}

/* What the numbers of a chain belong to. */
enum akind {
    A_NONE,  /* nothing said: the same act */
    A_SELF,  /* "of this Law", "ovog člana": the same act */
    A_LAW,   /* an act by its number */
    A_CONST, /* the Constitution */
    A_DROP   /* an act or document ura cannot name: not reported */
};

typedef struct anchor {
    enum akind kind;
    char law[24];
    size_t end; /* bytes: end of the anchor's last word or number */
} anchor;

#define TITLE_WORDS 24 /* words of an act's title before its number */
#define TYPE_WORDS 4   /* words between an act word and "Nr. NN/YYYY" */

/* The number of the act whose word ends at p: an act number within
 * maxw words (its title may come between, and "(Law No. 03/L-040)"), or
 * "Nr." and NN/YYYY within TYPE_WORDS words, none of them the Official
 * Gazette.  Gives up at the end of the sentence, at a structure word, or
 * at another act word outside brackets.  Returns 1 with law and *end. */
static int find_actnum(lexer *L, size_t p, int maxw, char law[24], size_t *end)
{
    int nwords = 0, depth = 0, gazette = 0;
    tok t, u;
    for (int i = 0; i < 2 * maxw + 8; i++, p = t.end) {
        lex(L, p, &t);
        if (t.kind == T_END || t.blank)
            return 0;
        if (t.kind == T_LAWNUM) {
            memcpy(law, t.law, 24);
            *end = t.end;
            return 1;
        }
        if (t.kind == T_PUNCT) {
            if (t.cp == '(')
                depth++;
            else if (t.cp == ')' && depth > 0)
                depth--;
            else if (t.cp == '.' || t.cp == ';' || t.cp == '!' || t.cp == '?')
                return 0;
            continue;
        }
        if (t.kind == T_WORD) {
            if (t.roles & R_NR) {
                lex(L, t.end, &u);
                if (is_punct(&u, '.') || is_punct(&u, ':'))
                    lex(L, u.end, &u);
                if (u.kind == T_LAWNUM ||
                    (u.kind == T_YEARNUM && nwords <= TYPE_WORDS && !gazette)) {
                    memcpy(law, u.law, 24);
                    *end = u.end;
                    return 1;
                }
            }
            if (t.roles & R_GAZ)
                gazette = 1;
            if ((t.roles & (R_ART | R_PAR | R_PT)) || ((t.roles & R_ACT) && !depth))
                return 0;
        }
        if (++nwords > maxw)
            return 0;
    }
    return 0;
}

/* What follows a chain at p: an optional ordinal dot or comma, up to
 * three connectors ("of the", "të", "i"), up to two other words (with a
 * connector, capitalised, or "this": "of the European", "të këtij"),
 * then the Constitution, an act, another document, or, after "this", a
 * structure word ("të këtij neni").  Without a connector a nominative
 * ("Zakon", "Ligji", "Law") starts a new sentence, not a genitive. */
static void parse_anchor(lexer *L, size_t p, anchor *a)
{
    tok t;
    unsigned lang = F_LANG;
    int nconn = 0, nskip = 0, self = 0;
    memset(a, 0, sizeof *a);
    lex(L, p, &t);
    if (is_punct(&t, '.') || is_punct(&t, ','))
        lex(L, t.end, &t);
    for (; nconn < 3 && t.kind == T_WORD && (t.roles & R_CONN); nconn++) {
        lang &= t.flags;
        lex(L, t.end, &t);
    }
    for (; nskip < 2 && t.kind == T_WORD &&
           !(t.roles & (R_LEVEL | R_CONST | R_ACT | R_DOC | R_NR)) &&
           (nconn || t.cap || (t.roles & R_SELF)); nskip++) {
        self |= (t.roles & R_SELF) != 0;
        lex(L, t.end, &t);
    }
    a->end = t.end;
    if (t.kind == T_LAWNUM && nconn) {
        a->kind = A_LAW;
        memcpy(a->law, t.law, 24);
        return;
    }
    if (t.kind != T_WORD)
        return;
    int linked = (nconn || nskip || !(t.flags & F_NOM)) &&
                 (!nconn || !(t.flags & F_LANG) || (lang & t.flags));
    if (linked && (t.roles & R_CONST))
        a->kind = A_CONST;
    else if (linked && (t.roles & R_ACT)) {
        if (self)
            a->kind = A_SELF;
        else
            a->kind = find_actnum(L, t.end, TITLE_WORDS, a->law, &a->end) ? A_LAW : A_DROP;
    } else if (linked && (t.roles & R_DOC))
        a->kind = self ? A_SELF : A_DROP;
    else if (self && (t.roles & R_LEVEL))
        a->kind = A_SELF;
}

/* An article's own heading at t: a nominative "Neni 5" first on its line,
 * then the end of the line, a dash or colon, or a capitalised word that
 * is no part of a citation ("Neni 12 – Zyra", "Član 3 Sastav").  Returns
 * where to go on after it, or 0. */
static size_t heading(lexer *L, const tok *t)
{
    tok u, v;
    if (!(t->roles & R_ART) || !(t->flags & F_NOM) || !t->linestart)
        return 0;
    lex(L, t->end, &u);
    if (u.kind != T_NUM || u.bad || u.nparts != 1)
        return 0;
    lex(L, u.end, &v);
    if (is_punct(&v, '.'))
        lex(L, v.end, &v);
    if (v.kind == T_END || v.linestart || is_punct(&v, ':') || is_dash(&v) ||
        (v.kind == T_WORD && v.cap && !v.roles))
        return u.end;
    return 0;
}

typedef struct sink {
    int (*fn)(void *ctx, const ura_ref *r);
    void *ctx;
    int stop;
} sink;

static void emit(sink *o, size_t start, size_t end, const anchor *a,
                 int article, int paragraph, int point)
{
    ura_ref r;
    if (o->stop)
        return;
    memset(&r, 0, sizeof r);
    r.start = start;
    r.end = end;
    if (a->kind == A_LAW)
        memcpy(r.law, a->law, sizeof r.law);
    r.constitution = a->kind == A_CONST;
    r.article = article;
    r.paragraph = paragraph;
    r.point = point;
    if (o->fn(o->ctx, &r))
        o->stop = 1;
}

static int has_numbers(const chain *c)
{
    return c->n[LV_ART] || c->n[LV_PAR] || c->n[LV_PT];
}

/* One reference per article, paragraph and point listed, MAXL at most. */
static void emit_chain(sink *o, const chain *c, const anchor *a, size_t start, size_t end)
{
    int na = c->n[LV_ART] ? c->n[LV_ART] : 1;
    int np = c->n[LV_PAR] ? c->n[LV_PAR] : 1;
    int nt = c->n[LV_PT] ? c->n[LV_PT] : 1;
    int k = 0;
    for (int i = 0; i < na; i++)
        for (int j = 0; j < np; j++)
            for (int l = 0; l < nt; l++) {
                if (k++ == MAXL)
                    return;
                emit(o, start, end, a, c->n[LV_ART] ? c->v[LV_ART][i] : 0,
                     c->n[LV_PAR] ? c->v[LV_PAR][j] : c->par_hint,
                     c->n[LV_PT] ? c->v[LV_PT][l] : 0);
            }
}

/* After an act or document whose name ends at p — its title ("për
 * Planifikimin Hapësinor", "on Spatial Planning"), "of the Republic of
 * Kosovo", and up to `plain` other words ("Kodi Penal") — a citation given
 * as ", neni 10", ", në nenin 58", "(Articles 57 to 62)" that names no act
 * of its own ("…, neni 5 i këtij ligji" does).  Returns 1 with it in c. */
static int cited_after(lexer *L, size_t p, int plain, chain *c)
{
    tok t, u;
    anchor own;
    lex(L, p, &t);
    if (t.kind == T_WORD && (t.roles & R_TITLE)) {
        for (int k = 0; k < TITLE_WORDS && t.kind == T_WORD &&
                        !(t.roles & (R_LEVEL | R_ACT | R_CONST | R_DOC | R_NR)); k++)
            lex(L, t.end, &t);
    } else
        for (int k = 0; k < 8 && t.kind == T_WORD; k++) {
            if (!(t.roles & R_REPUB) && (t.roles || plain-- <= 0))
                break;
            lex(L, t.end, &t);
        }
    if (!is_punct(&t, ',') && !is_punct(&t, '('))
        return 0;
    p = t.end;
    lex(L, p, &u);
    if (u.kind == T_WORD && (u.roles & R_IN)) {
        p = u.end;
        lex(L, p, &u);
    }
    if (u.kind != T_WORD || !(u.roles & (R_ART | R_PAR | R_PT)) ||
        !parse_chain(L, p, c) || !has_numbers(c))
        return 0;
    parse_anchor(L, c->next, &own);
    return own.kind == A_NONE;
}

/* An act or the Constitution cited in [start, end), with the articles
 * given after it as a citation (cited_after): "(Ligji Nr. 03/L-040, neni
 * 23)", "Kushtetuta e Republikës së Kosovës, neni 59", "Chapter III of
 * the Constitution (Articles 57 to 62)", "Law No. 04/L-174 on Spatial
 * Planning, Article 10".  Emits, and returns where reading goes on. */
static size_t emit_act(sink *o, lexer *L, size_t start, size_t end, const anchor *a)
{
    chain c;
    if (cited_after(L, end, 0, &c)) {
        emit_chain(o, &c, a, start, c.end);
        return c.next;
    }
    emit(o, start, end, a, 0, 0, 0);
    return end;
}

void ura_refs_find(const char *text, size_t n,
                   int (*fn)(void *ctx, const ura_ref *r), void *ctx)
{
    lexer L;
    sink o = {fn, ctx, 0};
    size_t p = 0;
    if (!text || !fn)
        return;
    L.z = (const unsigned char *)text;
    L.n = n;
    memset(L.key, 0, sizeof L.key);
    index_vocab(&L.vocab);
    while (!o.stop) {
        tok t, u;
        chain c;
        anchor a;
        lex(&L, p, &t);
        if (t.kind == T_END)
            break;
        size_t next = t.end;
        memset(&a, 0, sizeof a);
        a.kind = A_LAW;
        if (level_of(&t) >= 0) {
            size_t h = heading(&L, &t);
            if (h)
                next = h;
            else if (parse_chain(&L, p, &c)) {
                parse_anchor(&L, c.next, &a);
                if (a.kind == A_DROP)
                    next = c.next;
                else if (a.kind == A_NONE && !c.n[LV_ART] && !c.n[LV_PAR])
                    next = c.next; /* "Pika 2 e rendit të ditës": an agenda */
                else if (!has_numbers(&c)) /* a chapter of something */
                    next = a.kind == A_LAW || a.kind == A_CONST
                           ? emit_act(&o, &L, c.start, a.end, &a) : c.next;
                else if (a.kind == A_NONE) {
                    emit_chain(&o, &c, &a, c.start, c.end);
                    next = c.next;
                } else {
                    emit_chain(&o, &c, &a, c.start, a.end);
                    next = a.end;
                }
            }
        } else if (t.kind == T_WORD && (t.roles & (R_ACT | R_DOC))) {
            if ((t.roles & R_ACT) && find_actnum(&L, t.end, TYPE_WORDS, a.law, &a.end))
                next = emit_act(&o, &L, t.start, a.end, &a);
            else if (cited_after(&L, t.end, 2, &c))
                next = c.next; /* "Kodi Penal, neni 141": not ours to name */
        } else if (t.kind == T_WORD && (t.roles & R_NR)) {
            lex(&L, t.end, &u);
            if (is_punct(&u, '.') || is_punct(&u, ':'))
                lex(&L, u.end, &u);
            if (u.kind == T_LAWNUM) {
                memcpy(a.law, u.law, 24);
                next = emit_act(&o, &L, t.start, u.end, &a);
            }
        } else if (t.kind == T_LAWNUM) {
            memcpy(a.law, t.law, 24);
            next = emit_act(&o, &L, t.start, t.end, &a);
        } else if (t.kind == T_WORD && (t.roles & R_CONST) && t.cap) {
            a.kind = A_CONST;
            next = emit_act(&o, &L, t.start, t.end, &a);
        }
        p = next;
    }
}

int ura_lawnum_normalise(const char *z, size_t n, char out[24])
{
    const unsigned char *s = (const unsigned char *)z;
    size_t i = 0, len;
    char law[24];
    int year;
    out[0] = '\0';
    if (!z)
        return 0;
    while (i < n && is_space(decode(s + i, n - i, &len)))
        i += len;
    while (n > i && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r')))
        n--;
    if (i >= n || actnum_at(s, n, i, law, &year) != n)
        return 0;
    memcpy(out, law, 24);
    return 1;
}
