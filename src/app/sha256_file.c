/* sha256_file.c: file hashing with OpenSSL's EVP interface on a worker thread. */
#define _POSIX_C_SOURCE 200809L
#include "app/sha256_file.h"

#include "core/xalloc.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hash_path(const char *path, char hex[65])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno ? errno : EIO;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int err = 0;
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        err = ENOMEM;
        goto done;
    }
    size_t cap = (size_t)1 << 20;
    unsigned char *buf = xmalloc(cap);
    size_t n;
    while ((n = fread(buf, 1, cap, f)) > 0)
        EVP_DigestUpdate(ctx, buf, n);
    free(buf);
    if (ferror(f)) {
        err = EIO;
        goto done;
    }
    unsigned char md[32];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
done:
    EVP_MD_CTX_free(ctx);
    fclose(f);
    return err;
}

static void *run(void *arg)
{
    struct sha256_job *j = arg;
    j->error = hash_path(j->path, j->hex);
    return NULL;
}

bool sha256_file_start(struct sha256_job *j, const char *path)
{
    memset(j, 0, sizeof(*j));
    j->path = xstrdup(path);
    j->started = pthread_create(&j->thread, NULL, run, j) == 0;
    return j->started;
}

int sha256_file_wait(struct sha256_job *j)
{
    if (j->started)
        pthread_join(j->thread, NULL);
    else
        j->error = hash_path(j->path, j->hex);
    j->started = false;
    free(j->path);
    j->path = NULL;
    return j->error;
}
