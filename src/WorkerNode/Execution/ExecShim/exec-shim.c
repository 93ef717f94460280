/*
 * exec-shim: the few instructions worker-node needs to run between fork and exec.
 *
 * worker-node is a .NET program, and .NET cannot safely run managed code in a forked child, so
 * it starts commands with posix_spawn (which also puts them in a new session). posix_spawn
 * cannot set a parent-death signal, which is what makes a SIGKILLed worker take its command
 * with it. So the worker spawns this shim, embedded in its own binary and run from a memfd,
 * and the shim sets the signal and becomes the command.
 *
 *   exec-shim PARENT_PID SIGNAL PATH ARGV0 [ARGS...]
 *
 * PARENT_PID is the pid of the worker: if it has already died (we were reparented before the
 * signal was armed) the shim kills itself with SIGNAL at once. On exec failure it prints
 * "worker-node: PATH: reason" on stderr and exits as a shell would: 127 when PATH does not
 * exist, 126 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

extern char **environ;

static long parse_positive(const char *text)
{
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value <= 0)
        return -1;
    return value;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "worker-node exec-shim: usage: exec-shim PARENT_PID SIGNAL PATH ARGV0 [ARGS...]\n");
        return 126;
    }

    long parent = parse_positive(argv[1]);
    long signal_number = parse_positive(argv[2]);
    if (parent < 0 || signal_number < 0 || signal_number > 64) {
        fprintf(stderr, "worker-node exec-shim: bad parent pid '%s' or signal '%s'\n", argv[1], argv[2]);
        return 126;
    }

    if (prctl(PR_SET_PDEATHSIG, (unsigned long)signal_number, 0, 0, 0) != 0) {
        fprintf(stderr, "worker-node exec-shim: prctl(PR_SET_PDEATHSIG): %s\n", strerror(errno));
        return 126;
    }

    /* The worker may have died between spawning us and the prctl above. */
    if (getppid() != (pid_t)parent)
        raise((int)signal_number);

    const char *path = argv[3];
    execve(path, &argv[4], environ);

    int error = errno;
    fprintf(stderr, "worker-node: %s: %s\n", path, strerror(error));
    return error == ENOENT ? 127 : 126;
}
