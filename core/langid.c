/* langid.c — libexttextcat with a short list of languages.
 *
 * libexttextcat reads its list of fingerprints from a configuration file;
 * ours is written to an anonymous memory file, so nothing has to be
 * installed or found beside ura, and the fingerprints come from the
 * library's own data folder. */
#include "config.h"

#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <textcat.h>

#include "langid.h"

struct ura_langid {
    void *h;
};

/* fingerprint file, category name, ura's tag */
static const char *const langs[][3] = {
    {"sq.lm", "sq", "sq"},
    {"en.lm", "en", "en"},
    {"sr-Latn.lm", "sh", "sr-latn"},
    {"hr.lm", "hr", "sr-latn"},
    {"bs.lm", "bs", "sr-latn"},
    {"sr-Cyrl.lm", "sr", "sr-cyrl"},
    {"mk.lm", "mk", "mk"},
    {"tr.lm", "tr", "tr"},
    {"de.lm", "de", "de"},
    {"fr.lm", "fr", "fr"},
    {"it.lm", "it", "it"},
};
#define NLANGS (sizeof langs / sizeof langs[0])

ura_langid *ura_langid_new(void)
{
    int fd = memfd_create("ura-langid.conf", MFD_CLOEXEC);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return NULL;
    }
    for (size_t i = 0; i < NLANGS; i++)
        fprintf(f, "%s %s\n", langs[i][0], langs[i][1]);
    fflush(f);
    char conf[64];
    snprintf(conf, sizeof conf, "/proc/self/fd/%d", fd);
    void *h = special_textcat_Init(conf, URA_TEXTCAT_DATA);
    fclose(f);
    if (!h)
        return NULL;
    ura_langid *l = calloc(1, sizeof *l);
    if (!l) {
        textcat_Done(h);
        return NULL;
    }
    l->h = h;
    return l;
}

void ura_langid_free(ura_langid *l)
{
    if (!l)
        return;
    textcat_Done(l->h);
    free(l);
}

/* ura's tag for a category name, or NULL. */
static const char *tag_of(const char *name, size_t k)
{
    for (size_t i = 0; i < NLANGS; i++)
        if (strlen(langs[i][1]) == k && memcmp(langs[i][1], name, k) == 0)
            return langs[i][2];
    return NULL;
}

const char *ura_langid_guess(ura_langid *l, const char *z, size_t n)
{
    return ura_langid_classify(l, z, n, NULL);
}

const char *ura_langid_classify(ura_langid *l, const char *z, size_t n, int *single)
{
    if (single)
        *single = 0;
    if (!l || n < 40)
        return NULL;
    if (n > 2000) { /* a few hundred bytes suffice; keep it cheap */
        n = 2000;   /* and not in the middle of a UTF-8 sequence */
        while (n > 0 && ((unsigned char)z[n] & 0xC0) == 0x80)
            n--;
    }
    const char *res = textcat_Classify(l->h, z, n);
    if (!res || res[0] != '[')
        return NULL; /* "SHORT", "UNKNOWN" */
    /* "[sq]" or a list of close candidates "[hr][sh][bs]": the first is
     * the answer, single when every candidate maps to the same tag (the
     * Serbian, Croatian and Bosnian fingerprints often tie). */
    const char *first = NULL;
    int same = 1;
    while (res[0] == '[') {
        const char *end = strchr(res + 1, ']');
        if (!end)
            break;
        const char *tag = tag_of(res + 1, (size_t)(end - (res + 1)));
        if (!first)
            first = tag;
        else if (!tag || strcmp(tag, first) != 0)
            same = 0;
        res = end + 1;
    }
    if (single && first)
        *single = same;
    return first;
}
