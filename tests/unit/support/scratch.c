/* scratch.c: scratch folders for the unit tests (scratch.h). */
#define _POSIX_C_SOURCE 200809L
#include "scratch.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void scratch_remove(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *ent;
        char path[512];
        while ((ent = readdir(d)) != NULL) {
            if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof(path), "%s/%s", dir, ent->d_name);
            if (rmdir(path) != 0)
                unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}
