/* snowball.h — Snowball's Serbian and English stemmers, called directly.
 *
 * libstemmer's entry point, sb_stemmer_new(), picks a stemmer from a table
 * of every language it has (29) in every encoding; that table and the
 * stemmers' own tables of pointers are ~10,800 relocations in ~340 KB
 * that the dynamic linker writes before main() in every process: about
 * 80 page faults, over a millisecond of each `ura search`, for two
 * languages.  So ura links libstemmer's static archive (libstemmer-dev's
 * libstemmer.a) and calls the two generated stemmers below: the linker
 * takes only their objects and the runtime's (configure checks that they
 * link and stem, URA_SNOWBALL in configure.ac).
 *
 * These are the names and the state Snowball 2's generated C has
 * (runtime/header.h, libstemmer/stem_UTF_8_*.h of the Snowball sources);
 * only the first fields of the state are declared, the ones read here.
 * Private to libura (core/stem.c), and to configure's check. */
#ifndef URA_SNOWBALL_H
#define URA_SNOWBALL_H

struct SN_env {
    unsigned char *p; /* the current string, stemmed in place; owned by the env */
    int c;            /* cursor                                               */
    int l;            /* length of p                                          */
    /* ... more fields that only the stemmer uses */
};

/* Copies s[0..size) into z as the string to stem.  0, or -1 out of memory. */
extern int SN_set_current(struct SN_env *z, int size, const unsigned char *s);

/* Each stemmer: create its state (NULL out of memory), stem the current
 * string in place (negative on error), free the state. */
extern struct SN_env *serbian_UTF_8_create_env(void);
extern void serbian_UTF_8_close_env(struct SN_env *z);
extern int serbian_UTF_8_stem(struct SN_env *z);
extern struct SN_env *english_UTF_8_create_env(void);
extern void english_UTF_8_close_env(struct SN_env *z);
extern int english_UTF_8_stem(struct SN_env *z);

#endif
