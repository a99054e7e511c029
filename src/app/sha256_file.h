/* sha256_file.h: the SHA-256 of a file, computed on a second thread.
 *
 * Ingest identifies a file by its content hash. Hashing a multi-gigabyte file takes about a
 * second even with the CPU's SHA instructions (OpenSSL uses them), so the hash is computed by
 * a thread reading the file on its own while the importer parses it. */
#ifndef APP_SHA256_FILE_H
#define APP_SHA256_FILE_H

#include "core/common.h"

#include <pthread.h>

struct sha256_job {
    pthread_t thread;
    char *path;
    char hex[65];
    int error; /* errno of a failed read, 0 when fine */
    bool started;
};

/* Starts hashing path. Returns false (and hashes nothing) when the thread cannot start; the
 * caller then calls sha256_file_wait, which hashes on the calling thread. */
bool sha256_file_start(struct sha256_job *j, const char *path);
/* Waits for the result; returns 0 with j->hex filled, or an errno value. */
int sha256_file_wait(struct sha256_job *j);

#endif
