/*
 * test_fileio_write.c - tfit_file_write_report under a signal: SIGTERM or
 * SIGINT arriving while a large report is being written leaves the old
 * report in place and no temporary file behind.
 *
 * The child writes a report of 64 MiB and more (in 1 MiB pieces); the parent
 * waits until the temporary file appears in the directory and signals the
 * child then. When the write won the race (the child exited normally), the
 * round is repeated with a report twice as large.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tfit_test.h"
#include "tinyfit/fileio.h"

static int count_entries(const char *dir, int *has_tmp)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	*has_tmp = 0;
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		n++;
		if (strstr(e->d_name, ".tinyfit-"))
			*has_tmp = 1;
	}
	closedir(d);
	return n;
}

static void pause_us(long us)
{
	struct timespec ts = { 0, us * 1000L };
	nanosleep(&ts, NULL);
}

/* 1: the child died of sig mid-write; 0: the write finished first; -1: error */
static int one_round(const char *dir, const char *target, size_t bytes, int sig)
{
	pid_t pid;
	int status, has_tmp = 0, waited = 0;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char *buf = malloc(bytes);
		struct tfit_error err;
		if (!buf)
			_exit(3);
		memset(buf, 'x', bytes);
		tfit_file_cleanup_on_signals();
		_exit(tfit_file_write_report(target, buf, bytes, &err) == TFIT_OK ? 0 : 4);
	}
	/* wait (at most ~20 s) for the temporary file, then signal */
	while (waited < 200000) {
		if (count_entries(dir, &has_tmp) >= 0 && has_tmp)
			break;
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
		pause_us(100);
		waited++;
	}
	kill(pid, sig);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 0 ? 0 : -1;
	return WIFSIGNALED(status) && WTERMSIG(status) == sig ? 1 : -1;
}

static void test_signal(int sig)
{
	char dir[] = "/tmp/tfit_write_XXXXXX";
	char target[64];
	size_t bytes = 64u << 20;
	int r = 0, tries, has_tmp = 1;
	FILE *f;
	char line[16] = "";

	CHECK(mkdtemp(dir) != NULL);
	snprintf(target, sizeof(target), "%s/report.txt", dir);
	for (tries = 0; tries < 4; tries++) {
		f = fopen(target, "w");
		CHECK(f != NULL);
		if (!f)
			return;
		fputs("old report\n", f);
		fclose(f);
		r = one_round(dir, target, bytes, sig);
		if (r != 0)
			break;
		bytes *= 2; /* the write won: try a larger one */
	}
	CHECK(r == 1);
	/* the old report is intact, and the temporary file is gone */
	f = fopen(target, "r");
	CHECK(f != NULL);
	if (f) {
		CHECK(fgets(line, sizeof(line), f) != NULL);
		fclose(f);
	}
	CHECK_STR(line, "old report\n");
	CHECK(count_entries(dir, &has_tmp) == 1);
	CHECK(!has_tmp);
	unlink(target);
	rmdir(dir);
}

static void test_same_file(void)
{
	char dir[] = "/tmp/tfit_same_XXXXXX";
	char a[64], b[64];
	FILE *f;
	CHECK(mkdtemp(dir) != NULL);
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	f = fopen(a, "w");
	if (f)
		fclose(f);
	CHECK(symlink("a", b) == 0);
	CHECK(tfit_file_same(a, b) == 1);
	CHECK(tfit_file_same(a, a) == 1);
	CHECK(tfit_file_same(a, dir) == 0);
	CHECK(tfit_file_same(a, "/nonexistent/x") == 0);
	unlink(b);
	unlink(a);
	rmdir(dir);
}

int main(void)
{
	test_signal(SIGTERM);
	test_signal(SIGINT);
	test_same_file();
	return tfit_test_finish();
}
