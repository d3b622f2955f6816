/* legal.c — kind and year of an act. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "legal.h"

/* Folded first words of titles (the analyser's terms, so diacritics and
 * script do not matter) and the kind they name. */
static const struct {
    const char *word;
    const char *type;
} kinds[] = {
    {"ligji", "law"},           {"ligj", "law"},
    {"law", "law"},             {"zakon", "law"},
    {"kushtetuta", "constitution"}, {"constitution", "constitution"},
    {"ustav", "constitution"},
    {"udhezimi", "instruction"}, {"udhezim", "instruction"},
    {"ua", "instruction"},      {"instruction", "instruction"},
    {"administrative", "instruction"}, {"administrativ", "instruction"},
    {"ai", "instruction"},
    {"administrativno", "instruction"}, {"au", "instruction"},
    {"uputstvo", "instruction"},
    {"rregullore", "regulation"}, {"rregullorja", "regulation"},
    {"regulation", "regulation"}, {"uredba", "regulation"},
    {"pravilnik", "regulation"},
    {"statuti", "statute"},     {"statut", "statute"},
    {"statute", "statute"},
    {"vendim", "decision"},     {"vendimi", "decision"},
    {"decision", "decision"},   {"odluka", "decision"},
    {"raport", "report"},       {"raporti", "report"},
    {"report", "report"},       {"izvestaj", "report"},
    {"izvjestaj", "report"},    {"policy", "report"},
};

const char *ura_act_word(const char *term, size_t n)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strlen(kinds[i].word) == n && memcmp(kinds[i].word, term, n) == 0)
            return kinds[i].type;
    return NULL;
}

typedef struct first_words {
    const char *type;
    int seen;
} first_words;

static int on_token(void *ctx, const ura_token *t)
{
    first_words *f = ctx;
    f->type = ura_act_word(t->term, t->term_len);
    if (f->type)
        return URA_WARN; /* found: stop */
    /* Only the opening words name the kind ("Republika e Kosovës" may
     * come first on a title page, so allow a few). */
    return ++f->seen >= 6 ? URA_WARN : URA_OK;
}

const char *ura_act_type(ura_analyser *a, const char *title)
{
    first_words f = {NULL, 0};
    if (a && title)
        ura_analyse(a, title, strlen(title), 1, NULL, on_token, &f, NULL);
    return f.type ? f.type : "other";
}

static int year_at(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    int y = atoi((char[]){s[0], s[1], s[2], s[3], 0});
    return y >= 1990 && y <= 2099 ? y : 0;
}

int ura_act_year(const char *date, const char *title)
{
    if (date && strlen(date) >= 4 && year_at(date))
        return year_at(date);
    int year = 0;
    for (const char *p = title; p && *p; p++) {
        /* four digits standing alone ("2019", "05/2020", "2023.") */
        if ((p == title || p[-1] < '0' || p[-1] > '9') && year_at(p) &&
            (p[4] < '0' || p[4] > '9'))
            year = year_at(p);
    }
    return year;
}
