/* langid.c — libexttextcat with a short list of languages.
 *
 * libexttextcat reads its list of fingerprints from a configuration file;
 * ours is written to an anonymous memory file, so nothing has to be
 * installed or found beside ura, and the fingerprints come from the
 * library's own data folder.  The library itself is dlopen()ed by the
 * first ura_langid_new() (util.h, ura_dl_load()): `ura search` never
 * identifies a language and does not load it. */
#include "config.h"

#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <textcat.h>

#include "langid.h"
#include "util.h"

/* libexttextcat's functions, once textcat_load() succeeded. */
static struct {
    __typeof__(special_textcat_Init) *init;
    __typeof__(textcat_Done) *done;
    __typeof__(textcat_Classify) *classify;
} tc;

/* 1 when libexttextcat is loaded (the first call tries). */
static int textcat_load(void)
{
    static int state; /* 0 not tried, 1 loaded, -1 cannot be */
    if (!state) {
        static const char *const names[] = {"special_textcat_Init", "textcat_Done",
                                            "textcat_Classify"};
        void *f[3];
        state = -1;
        if (ura_dl_load(URA_TEXTCAT_SONAME, names, f, 3, NULL) == URA_OK) {
            tc.init = (__typeof__(tc.init))f[0];
            tc.done = (__typeof__(tc.done))f[1];
            tc.classify = (__typeof__(tc.classify))f[2];
            state = 1;
        }
    }
    return state > 0;
}

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
    if (!textcat_load())
        return NULL;
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
    void *h = tc.init(conf, URA_TEXTCAT_DATA);
    fclose(f);
    if (!h)
        return NULL;
    ura_langid *l = calloc(1, sizeof *l);
    if (!l) {
        tc.done(h);
        return NULL;
    }
    l->h = h;
    return l;
}

void ura_langid_free(ura_langid *l)
{
    if (!l)
        return;
    tc.done(l->h);
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
    const char *res = tc.classify(l->h, z, n);
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
