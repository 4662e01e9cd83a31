/*
 * alloc_fault.h - allocation-failure injection for the fault tests (after
 * SQLite's test_malloc.c and curl's torture mode).
 *
 * A program linked with
 *   -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
 * sends every allocation made by the project's own objects through the
 * __wrap_* functions of alloc_fault.c; they count, and fail the one the
 * countdown names, then call __real_* (ASan's interceptors, so ASan and
 * LSan still see every block).  fault_install() routes SQLite's
 * allocations through the same counter; jansson's go through error.c's
 * allocator, a project object, so they are counted too; libraries we do
 * not configure (libcsv, utf8proc, libzip, libxlsxwriter) allocate
 * uncounted.
 */
#ifndef GIAPRANH_ALLOC_FAULT_H
#define GIAPRANH_ALLOC_FAULT_H

#include <stdbool.h>

/* Hook SQLite (before its first use) into the counter. */
void fault_install(void);

/* Count allocations from now; the nth (1-based) fails, and with persist
 * every one after it too.  n == 0 only counts. */
void fault_arm(unsigned long n, bool persist);
/* Stop failing (the count goes on). */
void fault_disarm(void);
/* Print the stack of each failed allocation (to find a failure's path). */
void fault_trace(bool on);
/* Between pause and resume (they nest) allocations are neither counted
 * nor failed: the harness's own bookkeeping inside an operation. */
void fault_pause(void);
void fault_resume(void);
/* Print the calling thread's stack to stderr: the sanitizer runtime's
 * symbolised one when the program has a sanitizer, else glibc's
 * backtrace_symbols_fd (no allocation; usable in a signal handler). */
void fault_print_stack(void);
/* Run LeakSanitizer's check now (a leak ends the process with status 1);
 * false, doing nothing, when the program was built without it. */
bool fault_leak_check(void);
/* Allocations counted since the last fault_arm. */
unsigned long fault_count(void);
/* Allocations failed since the last fault_arm. */
unsigned long fault_failures(void);

#endif
