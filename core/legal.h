/* legal.h — what ura knows about acts as acts.  For now: the kind of act
 * and its year, from its title and metadata; the segmenter (chapters,
 * articles, law numbers, references) grows here.  Private to libura. */
#ifndef URA_LEGAL_H
#define URA_LEGAL_H

#include <stddef.h>

#include "analyse.h"

/* The kind of act a title names, from its first words in any of the
 * languages: "law", "instruction", "regulation", "decision", "report",
 * "constitution", or "other".  Static string. */
const char *ura_act_type(ura_analyser *a, const char *title);

/* The kind of act a single folded word names ("ligji" → "law"), or NULL. */
const char *ura_act_word(const char *term, size_t n);

/* The year of a document: from a date in its metadata (YYYY...), else the
 * last year (1990-2099) written in its title; 0 when none. */
int ura_act_year(const char *date, const char *title);

#endif
