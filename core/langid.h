/* langid.h — language identification with libexttextcat, for each text
 * block long enough to judge (core/passage.c decides what to do with the
 * answer and the format's own tag).  Private to libura. */
#ifndef URA_LANGID_H
#define URA_LANGID_H

#include <stddef.h>

typedef struct ura_langid ura_langid;

/* Load the fingerprints of the languages ura tells apart (Albanian,
 * English, Serbian/Croatian/Bosnian in Latin and Cyrillic, and a few
 * neighbours so that they are not forced into those).  NULL when
 * libexttextcat (dlopen()ed by the first call) or its data cannot be
 * read; callers then go without.  Owned by
 * the caller, freed with ura_langid_free(). */
ura_langid *ura_langid_new(void);
void ura_langid_free(ura_langid *l);

/* The language of z[0..n) as a tag ura_lang_normalise() understands
 * ("sq", "en", "sr-latn", "sr-cyrl", "tr", ...), or NULL when the text is
 * too short or unclear.  Static string. */
const char *ura_langid_guess(ura_langid *l, const char *z, size_t n);

/* The same, and *single (may be NULL) is 1 when libexttextcat named this
 * language alone, 0 when it gave a list of close candidates (the first of
 * which is returned). */
const char *ura_langid_classify(ura_langid *l, const char *z, size_t n, int *single);

#endif
