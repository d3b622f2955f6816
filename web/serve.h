/* serve.h — `ura serve`: the search page and the JSON API over HTTP. */
#ifndef URA_WEB_SERVE_H
#define URA_WEB_SERVE_H

/* Run `ura serve` with argv[0] == "serve" and optind reset; returns the
 * exit status: 0 stopped by a signal, 1 usage error, 2 runtime error. */
int ura_serve_main(int argc, char **argv);

#endif
