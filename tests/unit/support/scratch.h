/* scratch.h: scratch folders for the unit tests that need a store on disk. */
#ifndef TESTS_UNIT_SUPPORT_SCRATCH_H
#define TESTS_UNIT_SUPPORT_SCRATCH_H

/* Removes the files directly in dir (a test's store and its -wal and -shm), then dir. */
void scratch_remove(const char *dir);

#endif
