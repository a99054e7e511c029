/* scratch.h: scratch folders for the unit tests that need a store on disk. */
#ifndef TESTS_UNIT_SUPPORT_SCRATCH_H
#define TESTS_UNIT_SUPPORT_SCRATCH_H

/* Removes what is directly in dir (a test's store, its -wal and -shm, empty folders a test
 * made), then dir. */
void scratch_remove(const char *dir);

#endif
