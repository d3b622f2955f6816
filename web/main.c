/* main.c — ura-serve, the program behind `ura serve` (cli/ura.c execs it
 * with argv[0] "serve"). Kept apart from `ura` so that only the web server
 * loads libmicrohttpd and GnuTLS.
 * Exit status as ura_serve_main(): 0 stopped by a signal, 1 usage error,
 * 2 runtime error. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "serve.h"

int main(int argc, char **argv)
{
    optind = 1;
    int rc = ura_serve_main(argc, argv);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("ura: cannot write the output (disk full or closed pipe?)\n", stderr);
        return 2;
    }
    return rc;
}
