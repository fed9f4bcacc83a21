/* fileio.c - whole-file reads and atomic writes (see fileio.h). */
#define _POSIX_C_SOURCE 200809L
#include "tinyfit/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum tfit_status tfit_file_read(const char *path, uint64_t max_bytes,
				char **data, size_t *len, struct tfit_error *err)
{
	FILE *f = NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	enum tfit_status rc = TFIT_OK;
	struct stat st;

	*data = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (!f) {
		rc = tfit_error_set(err, TFIT_ERR_IO, path, NULL,
				    "cannot open file: %s", strerror(errno));
		goto out;
	}
	if (fstat(fileno(f), &st) != 0)
		memset(&st, 0, sizeof(st)); /* unknown: the read loop decides */
	if (S_ISDIR(st.st_mode)) {
		rc = tfit_error_set(err, TFIT_ERR_IO, path, NULL,
				    "is a directory (expected a file)");
		goto out;
	}
	/* a regular file over the limit fails before anything is read (the
	 * loop below still enforces the limit for pipes and growing files) */
	if (S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size > max_bytes) {
		rc = tfit_error_set(err, TFIT_ERR_LIMIT, path, NULL,
				    "file is larger than %llu bytes (the limit for this kind of file)",
				    (unsigned long long)max_bytes);
		goto out;
	}
	for (;;) {
		size_t got;
		if (n + 1 >= cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *p;
			if (ncap > max_bytes + 2)
				ncap = (size_t)max_bytes + 2;
			if (ncap <= n + 1) {
				rc = tfit_error_set(err, TFIT_ERR_LIMIT, path, NULL,
						    "file is larger than %llu bytes (the limit for this kind of file)",
						    (unsigned long long)max_bytes);
				goto out;
			}
			p = realloc(buf, ncap);
			if (!p) {
				rc = tfit_error_set(err, TFIT_ERR_NOMEM, path, NULL,
						    "out of memory reading file");
				goto out;
			}
			buf = p;
			cap = ncap;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		rc = tfit_error_set(err, TFIT_ERR_IO, path, NULL,
				    "read failed: %s", strerror(errno));
		goto out;
	}
	if (n > max_bytes) {
		rc = tfit_error_set(err, TFIT_ERR_LIMIT, path, NULL,
				    "file is larger than %llu bytes (the limit for this kind of file)",
				    (unsigned long long)max_bytes);
		goto out;
	}
	if (!buf) {
		buf = malloc(1);
		if (!buf) {
			rc = tfit_error_set(err, TFIT_ERR_NOMEM, path, NULL, "out of memory");
			goto out;
		}
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	buf = NULL;
out:
	free(buf);
	if (f)
		fclose(f);
	return rc;
}

/* ---- writing reports ---- */

/* The temporary file being written, for the signal handler. A fixed buffer:
 * the handler may only call async-signal-safe functions (unlink). */
static char pending_tmp[4096];
static volatile sig_atomic_t pending_set;

static void on_signal(int sig)
{
	if (pending_set)
		unlink(pending_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

void tfit_file_cleanup_on_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	size_t i;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
}

static enum tfit_status io_error(const char *path, struct tfit_error *err)
{
	return tfit_error_set(err, TFIT_ERR_IO, path, NULL, "cannot write report: %s",
			      strerror(errno));
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		/* in pieces, so a signal is handled while a large report is written */
		size_t chunk = len < (1u << 20) ? len : (1u << 20);
		ssize_t n = write(fd, data, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write into what is already there: a terminal, /dev/null, a FIFO, a socket. */
static enum tfit_status write_direct(const char *path, const char *data, size_t len,
				     struct tfit_error *err)
{
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	enum tfit_status rc = TFIT_OK;
	if (fd < 0)
		return io_error(path, err);
	if (write_all(fd, data, len) != 0)
		rc = io_error(path, err);
	if (close(fd) != 0 && rc == TFIT_OK)
		rc = io_error(path, err);
	return rc;
}

/* A missing or regular file: a new file beside it (mkstemp: a random name
 * opened with O_EXCL), the old file's mode (and owner, where allowed), then
 * rename over it; the temporary file is removed on error and on a signal. */
static enum tfit_status write_replace(const char *path, const struct stat *old,
				      const char *data, size_t len, struct tfit_error *err)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	enum tfit_status rc = TFIT_OK;
	mode_t mode;
	sigset_t block, saved;
	int fd;

	if (dlen + strlen(base) + 16 > sizeof(pending_tmp))
		return tfit_error_set(err, TFIT_ERR_IO, path, NULL,
				      "cannot write report: path too long");
	snprintf(pending_tmp, sizeof(pending_tmp), "%.*s.%s.tinyfit-XXXXXX", (int)dlen, path, base);
	/* no signal between creating the file and recording its name */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &saved);
	fd = mkstemp(pending_tmp);
	if (fd >= 0)
		pending_set = 1;
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (fd < 0)
		return io_error(path, err);
	if (old) {
		mode = old->st_mode & 07777;
		if (fchown(fd, old->st_uid, old->st_gid) != 0)
			mode &= 0777; /* no set-id bits on a file of another owner */
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0) {
		rc = io_error(path, err);
		close(fd);
		goto out;
	}
	if (close(fd) != 0 || rename(pending_tmp, path) != 0) {
		rc = io_error(path, err);
		goto out;
	}
	pending_set = 0;
out:
	if (pending_set) {
		unlink(pending_tmp);
		pending_set = 0;
	}
	return rc;
}

/* "/dev/stdout", "/dev/stderr", "/dev/fd/N": the descriptor itself (its
 * /proc link may name a pipe, which has no path to reopen); -1 if not one. */
static int std_fd(const char *path)
{
	char *end;
	long n;
	if (strcmp(path, "/dev/stdout") == 0)
		return 1;
	if (strcmp(path, "/dev/stderr") == 0)
		return 2;
	if (strncmp(path, "/dev/fd/", 8) != 0 || !path[8])
		return -1;
	n = strtol(path + 8, &end, 10);
	return *end || n < 0 || n > 1024 ? -1 : (int)n;
}

static enum tfit_status write_path(const char *path, const char *data, size_t len, int depth,
				   struct tfit_error *err)
{
	struct stat st;
	int fd = std_fd(path);
	if (fd >= 0) {
		if (write_all(fd, data, len) != 0)
			return io_error(path, err);
		return TFIT_OK;
	}
	if (lstat(path, &st) != 0) {
		if (errno != ENOENT)
			return io_error(path, err);
		return write_replace(path, NULL, data, len, err);
	}
	if (S_ISLNK(st.st_mode)) {
		/* write through to the link's target (which may not exist yet) */
		char target[4096], joined[8192];
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		const char *slash = strrchr(path, '/');
		if (n < 0 || depth > 16)
			return tfit_error_set(err, TFIT_ERR_IO, path, NULL,
					      "cannot write report: %s",
					      n < 0 ? strerror(errno) : "too many levels of symbolic links");
		target[n] = '\0';
		if (target[0] == '/' || !slash)
			snprintf(joined, sizeof(joined), "%s", target);
		else
			snprintf(joined, sizeof(joined), "%.*s%s", (int)(slash - path) + 1, path, target);
		return write_path(joined, data, len, depth + 1, err);
	}
	if (S_ISREG(st.st_mode))
		return write_replace(path, &st, data, len, err);
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
		return write_direct(path, data, len, err);
	return tfit_error_set(err, TFIT_ERR_IO, path, NULL,
			      "cannot write report: %s",
			      S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file, FIFO or character device");
}

enum tfit_status tfit_file_write_report(const char *path, const char *data, size_t len,
					struct tfit_error *err)
{
	return write_path(path, data, len, 0, err);
}

int tfit_file_same(const char *a, const char *b)
{
	struct stat sa, sb;
	if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
