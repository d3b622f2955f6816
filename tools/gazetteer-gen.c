/* gazetteer-gen.c — build-time generator: data/gazetteer.tsv (place names
 * in Albanian and Serbian) to core/gazetteer-data.h, a C table with each
 * name as written and folded the way the analyser folds a term.
 *
 *   gazetteer-gen OUT.h IN.tsv
 *
 * Folding here covers the letters the names use: ASCII is lowercased, ë ç
 * č ć š ž lose their marks, đ becomes "dj" (and a second folded name with
 * "d" is added, as writers without diacritics also type it), a hyphen is a
 * space (the analyser splits words at hyphens).  Any other non-ASCII
 * letter is an error naming the line, so a new name cannot be folded
 * wrongly in silence; tests/unit/gazetteer-test.c checks every name
 * against the real analyser.  The header is written to OUT.h.tmp and
 * renamed, so a failed run leaves no half file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PLACES 512
#define MAX_NAMES 8
#define FIELD_MAX 128

enum { L_SQ, L_SR, L_EN };
static const char *const lang_name[] = {"sq", "sr", "en"};

struct name {
    char text[FIELD_MAX];   /* as written, UTF-8 */
    char folded[FIELD_MAX]; /* folded, words separated by one space */
    int lang;
};

struct place {
    char id[FIELD_MAX], kind[FIELD_MAX], muni[FIELD_MAX];
    struct name names[MAX_NAMES];
    size_t nnames;
    int line;
};

static struct place places[MAX_PLACES];
static size_t nplaces;
static const char *in_path;

static void die(int line, const char *msg, const char *what)
{
    fprintf(stderr, "gazetteer-gen: %s:%d: %s%s%s\n", in_path, line, msg,
            what ? ": " : "", what ? what : "");
    exit(1);
}

/* Appends the folded form of UTF-8 s to out (FIELD_MAX bytes); d_for_dj
 * writes đ as "d".  Returns 0 on an unknown character. */
static int fold(const char *s, char *out, int d_for_dj)
{
    static const struct {
        const char *utf8, *ascii;
    } map[] = {
        {"ë", "e"}, {"Ë", "e"}, {"ç", "c"}, {"Ç", "c"}, {"č", "c"},
        {"Č", "c"}, {"ć", "c"}, {"Ć", "c"}, {"š", "s"}, {"Š", "s"},
        {"ž", "z"}, {"Ž", "z"}, {"đ", "dj"}, {"Đ", "dj"},
    };
    size_t n = 0;
    int space = 1; /* drops leading and repeated spaces */
    while (*s) {
        const char *add = NULL;
        size_t used = 1;
        char one[2] = {0, 0};
        unsigned char c = (unsigned char)*s;
        if (c == ' ' || c == '-') {
            if (space) {
                s++;
                continue;
            }
            add = " ";
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            one[0] = (char)c;
            add = one;
        } else if (c >= 'A' && c <= 'Z') {
            one[0] = (char)(c - 'A' + 'a');
            add = one;
        } else {
            for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
                size_t k = strlen(map[i].utf8);
                if (!strncmp(s, map[i].utf8, k)) {
                    add = map[i].ascii;
                    if (d_for_dj && !strcmp(add, "dj"))
                        add = "d";
                    used = k;
                    break;
                }
            }
            if (!add)
                return 0;
        }
        size_t k = strlen(add);
        if (n + k + 1 > FIELD_MAX)
            return 0;
        memcpy(out + n, add, k);
        n += k;
        space = add[0] == ' ';
        s += used;
    }
    if (n && out[n - 1] == ' ')
        n--;
    out[n] = 0;
    return n > 0;
}

static void add_name(struct place *p, const char *text, int lang)
{
    for (int variant = 0; variant < 2; variant++) {
        struct name nm;
        if (variant && !strstr(text, "đ") && !strstr(text, "Đ"))
            break;
        if (strlen(text) >= FIELD_MAX)
            die(p->line, "name too long", text);
        strcpy(nm.text, text);
        nm.lang = lang;
        if (!fold(text, nm.folded, variant))
            die(p->line, "a name with a letter the folding table lacks "
                         "(or empty)", text);
        int dup = 0;
        for (size_t i = 0; i < p->nnames; i++)
            if (!strcmp(p->names[i].folded, nm.folded) &&
                p->names[i].lang == nm.lang)
                dup = 1;
        if (dup)
            continue;
        if (p->nnames == MAX_NAMES)
            die(p->line, "too many names", p->id);
        p->names[p->nnames++] = nm;
    }
}

/* Splits line at tabs into at most max fields; returns their count. */
static size_t split(char *line, char **f, size_t max)
{
    size_t n = 0;
    f[n++] = line;
    for (char *c = line; *c && n < max; c++)
        if (*c == '\t') {
            *c = 0;
            f[n++] = c + 1;
        }
    return n;
}

static int valid_id(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '-'))
            return 0;
    return 1;
}

static void read_tsv(FILE *in)
{
    char line[2048];
    int ln = 0;
    while (fgets(line, sizeof line, in)) {
        ln++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\n')
            line[--len] = 0;
        else if (!feof(in))
            die(ln, "line too long", NULL);
        if (!len || line[0] == '#')
            continue;
        char *f[7];
        size_t nf = split(line, f, 7);
        if (nf < 5 || nf > 6)
            die(ln, "want 5 or 6 tab-separated columns", NULL);
        if (nplaces == MAX_PLACES)
            die(ln, "too many places", NULL);
        struct place *p = &places[nplaces++];
        p->line = ln;
        if (!valid_id(f[0]) || strlen(f[0]) >= FIELD_MAX)
            die(ln, "bad id", f[0]);
        strcpy(p->id, f[0]);
        if (strcmp(f[3], "municipality") && strcmp(f[3], "settlement"))
            die(ln, "kind is municipality or settlement", f[3]);
        strcpy(p->kind, f[3]);
        if (strcmp(f[4], "-") && (!valid_id(f[4]) || strlen(f[4]) >= FIELD_MAX))
            die(ln, "bad municipality id", f[4]);
        strcpy(p->muni, f[4]);
        add_name(p, f[1], L_SQ);
        add_name(p, f[2], L_SR);
        if (nf == 6 && *f[5]) {
            char *save = NULL;
            for (char *t = strtok_r(f[5], ";", &save); t;
                 t = strtok_r(NULL, ";", &save)) {
                char *colon = strchr(t, ':');
                int lang = -1;
                if (colon) {
                    *colon = 0;
                    for (int l = 0; l < 3; l++)
                        if (!strcmp(t, lang_name[l]))
                            lang = l;
                }
                if (lang < 0)
                    die(ln, "an extra name is lang:name with lang sq, sr or en",
                        t);
                add_name(p, colon + 1, lang);
            }
        }
    }
    if (ferror(in))
        die(ln, "read error", strerror(errno));
    if (!nplaces)
        die(ln, "no places", NULL);
}

/* Ids unique; each municipality named exists and is a municipality; a
 * municipality lies in itself; a folded name belongs to one place. */
static void check(void)
{
    for (size_t i = 0; i < nplaces; i++) {
        struct place *p = &places[i];
        int found = !strcmp(p->muni, "-") && !strcmp(p->kind, "settlement");
        for (size_t j = 0; j < nplaces; j++) {
            if (j != i && !strcmp(places[j].id, p->id))
                die(p->line, "duplicate id", p->id);
            if (!strcmp(places[j].id, p->muni) &&
                !strcmp(places[j].kind, "municipality"))
                found = 1;
            for (size_t a = 0; a < p->nnames; a++)
                for (size_t b = 0; j != i && b < places[j].nnames; b++)
                    if (!strcmp(p->names[a].folded, places[j].names[b].folded))
                        die(p->line, "name of two places", p->names[a].folded);
        }
        if (!found)
            die(p->line, "unknown municipality", p->muni);
        if (!strcmp(p->kind, "municipality") && strcmp(p->muni, p->id))
            die(p->line, "a municipality's municipality is itself", p->id);
    }
}

/* Writes s as a C string literal (the names are UTF-8 without quotes or
 * backslashes, which fold() would have refused anyway in folded form). */
static void put_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20 || c >= 0x7F)
            fprintf(out, "\\%03o", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void write_header(FILE *out)
{
    fprintf(out, "/* Generated by tools/gazetteer-gen from data/gazetteer.tsv: "
                 "do not edit. */\n");
    for (size_t i = 0; i < nplaces; i++) {
        struct place *p = &places[i];
        fprintf(out, "static const char *const gz_folded_%zu[] = {", i);
        for (size_t k = 0; k < p->nnames; k++) {
            put_str(out, p->names[k].folded);
            fputs(k + 1 < p->nnames ? ", " : "};\n", out);
        }
        fprintf(out, "static const char *const gz_text_%zu[] = {", i);
        for (size_t k = 0; k < p->nnames; k++) {
            put_str(out, p->names[k].text);
            fputs(k + 1 < p->nnames ? ", " : "};\n", out);
        }
        fprintf(out, "static const unsigned char gz_lang_%zu[] = {", i);
        for (size_t k = 0; k < p->nnames; k++)
            fprintf(out, "GZ_%s%s", p->names[k].lang == L_SQ   ? "SQ"
                                    : p->names[k].lang == L_SR ? "SR"
                                                               : "EN",
                    k + 1 < p->nnames ? ", " : "};\n");
    }
    fprintf(out, "static const struct gz_place gz_places[%zu] = {\n", nplaces);
    for (size_t i = 0; i < nplaces; i++) {
        struct place *p = &places[i];
        fputs("    {{", out);
        put_str(out, p->id);
        fprintf(out, ", %zu, gz_folded_%zu}, gz_text_%zu, gz_lang_%zu, ",
                p->nnames, i, i, i);
        put_str(out, p->kind);
        fputs(", ", out);
        put_str(out, p->muni);
        fputs("},\n", out);
    }
    fputs("};\n", out);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gazetteer-gen OUT.h IN.tsv\n");
        return 2;
    }
    in_path = argv[2];
    FILE *in = fopen(in_path, "r");
    if (!in) {
        fprintf(stderr, "gazetteer-gen: %s: %s\n", in_path, strerror(errno));
        return 1;
    }
    read_tsv(in);
    fclose(in);
    check();

    size_t n = strlen(argv[1]);
    char *tmp = malloc(n + 5);
    if (!tmp)
        return 1;
    memcpy(tmp, argv[1], n);
    memcpy(tmp + n, ".tmp", 5);
    FILE *out = fopen(tmp, "w");
    if (!out) {
        fprintf(stderr, "gazetteer-gen: %s: %s\n", tmp, strerror(errno));
        return 1;
    }
    write_header(out);
    if (fclose(out) != 0 || rename(tmp, argv[1]) != 0) {
        fprintf(stderr, "gazetteer-gen: %s: %s\n", argv[1], strerror(errno));
        remove(tmp);
        return 1;
    }
    free(tmp);
    return 0;
}
