/* alloc_fault.c - see alloc_fault.h */
#include <execinfo.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_fault.h"

/* The sanitizer runtimes' interface, declared weak: the fault tests build
 * without sanitizers too (-Db_sanitize=none, tools/check-buildtypes.sh),
 * and then these are NULL instead of undefined references. */
void __sanitizer_print_stack_trace(void) __attribute__((weak));
void __lsan_do_leak_check(void) __attribute__((weak));

/* The real functions, and our replacements for them (the linker sends the
 * project's calls of malloc to __wrap_malloc and so on). */
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

/* One thread runs the operations under test; the server's worker threads
 * are never started by the fault driver. */
static unsigned long fail_at;   /* 0 = never */
static bool fail_persist;
static bool failing;            /* armed (fault_disarm clears it) */
static unsigned long counted, failed;
static int paused;
static bool trace;

#define FAULT_STACK_FRAMES 64   /* frames of a stack printed without ASan */

/* true when this allocation must fail */
static bool
fault_step(void)
{
	if (paused > 0)
		return false;
	counted++;
	if (!failing || fail_at == 0)
		return false;
	if (counted == fail_at || (fail_persist && counted > fail_at)) {
		failed++;
		if (trace) {
			fprintf(stderr, "alloc_fault: allocation %lu fails here:\n",
			    counted);
			fault_print_stack();
		}
		return true;
	}
	return false;
}

void
fault_print_stack(void)
{
	void *frames[FAULT_STACK_FRAMES];
	int n;

	if (__sanitizer_print_stack_trace != NULL) {
		__sanitizer_print_stack_trace();
		return;
	}
	/* glibc's: addresses and symbol names, written straight to the fd
	 * (this also runs in the crash handler of test_fault.c) */
	n = backtrace(frames, FAULT_STACK_FRAMES);
	backtrace_symbols_fd(frames, n, 2);
}

bool
fault_leak_check(void)
{
	if (__lsan_do_leak_check == NULL)
		return false;
	__lsan_do_leak_check();
	return true;
}

void
fault_arm(unsigned long n, bool persist)
{
	counted = 0;
	failed = 0;
	fail_at = n;
	fail_persist = persist;
	failing = true;
}

void
fault_trace(bool on)
{
	trace = on;
}

void
fault_pause(void)
{
	paused++;
}

void
fault_resume(void)
{
	paused--;
}

void
fault_disarm(void)
{
	failing = false;
}

unsigned long
fault_count(void)
{
	return counted;
}

unsigned long
fault_failures(void)
{
	return failed;
}

void *
__wrap_malloc(size_t n)
{
	return fault_step() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	return fault_step() ? NULL : __real_calloc(n, size);
}

void *
__wrap_realloc(void *p, size_t n)
{
	/* realloc(p, 0) frees: not an allocation that can fail */
	if (n != 0 && fault_step())
		return NULL;
	return __real_realloc(p, n);
}

char *
__wrap_strdup(const char *s)
{
	return fault_step() ? NULL : __real_strdup(s);
}

char *
__wrap_strndup(const char *s, size_t n)
{
	return fault_step() ? NULL : __real_strndup(s, n);
}

/* ---- SQLite: its default allocator behind the counter ------------------- */

static sqlite3_mem_methods sqlite_default;

static void *
sq_malloc(int n)
{
	return fault_step() ? NULL : sqlite_default.xMalloc(n);
}

static void *
sq_realloc(void *p, int n)
{
	return fault_step() ? NULL : sqlite_default.xRealloc(p, n);
}

void
fault_install(void)
{
	static bool done;
	sqlite3_mem_methods m;

	if (done)
		return;
	done = true;
	/* glibc's backtrace loads libgcc (and allocates) on its first call:
	 * done here, not later in a crash handler or inside a failing malloc */
	{
		void *frame;
		backtrace(&frame, 1);
	}
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_default) != SQLITE_OK) {
		fprintf(stderr, "alloc_fault: SQLite is already initialised\n");
		abort();
	}
	m = sqlite_default;
	m.xMalloc = sq_malloc;
	m.xRealloc = sq_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK) {
		fprintf(stderr, "alloc_fault: SQLITE_CONFIG_MALLOC refused\n");
		abort();
	}
	/* jansson needs nothing: its allocator is error.c's, which calls
	 * malloc from a project object (so __wrap_malloc) and counts the
	 * failures err_json_loadb tells from syntax errors */
}
