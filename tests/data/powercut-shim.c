/* LD_PRELOAD shim for the power-cut test: records what reached the disk for good (at each fsync) and what was only written since. */
/* open and open64 (and the others) are each defined here under their own
 * name, not one renamed to the other. */
#undef _FILE_OFFSET_BITS
/* RTLD_NEXT */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* HP_POWERCUT_DIR: the folder whose files are followed (absolute, as the
 * program under test names them). HP_POWERCUT_SHADOW: where the shim keeps,
 * for each file, "durable/NAME" (its content at its last fsync) and
 * "pending/NAME" (the writes since: records of two little-endian 64-bit
 * numbers, offset and length; a length of UINT64_MAX is a truncation to
 * the offset). HP_POWERCUT_NOSYNC=1: fsync does nothing, as on a system
 * with syncing disabled.
 *
 * What the disk keeps when the power fails is then "durable/NAME" with any
 * part of the pending writes: test-power-cut rebuilds it so. Renames and
 * removals count as lasting at once. */

#define MAX_FDS 4096

#define TRUNCATION UINT64_MAX

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char *names[MAX_FDS];
static const char *watched;
static size_t watched_len;
static const char *shadow;
static int nosync;

/* Looked up by powercut-writer, which refuses to run without the shim. */
int hp_powercut_active (void);

int
hp_powercut_active (void)
{
  return watched != NULL;
}

static int     (*real_open) (const char *, int, ...);
static int     (*real_open64) (const char *, int, ...);
static int     (*real_openat) (int, const char *, int, ...);
static int     (*real_openat64) (int, const char *, int, ...);
static int     (*real_close) (int);
static ssize_t (*real_write) (int, const void *, size_t);
static ssize_t (*real_pwrite) (int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64) (int, const void *, size_t, off64_t);
static int     (*real_ftruncate) (int, off_t);
static int     (*real_ftruncate64) (int, off64_t);
static int     (*real_fsync) (int);
static int     (*real_fdatasync) (int);
static int     (*real_rename) (const char *, const char *);
static int     (*real_renameat2) (int, const char *, int, const char *, unsigned int);
static int     (*real_unlink) (const char *);

/* dlsym() answers with an object pointer; copied, not cast, into a
 * function pointer. */
#define LOOKUP(var, name)                   \
  do {                                      \
    void *found = dlsym (RTLD_NEXT, name);  \
    memcpy (&(var), &found, sizeof found);  \
  } while (0)

__attribute__ ((constructor)) static void
setup (void)
{
  LOOKUP (real_open, "open");
  LOOKUP (real_open64, "open64");
  LOOKUP (real_openat, "openat");
  LOOKUP (real_openat64, "openat64");
  LOOKUP (real_close, "close");
  LOOKUP (real_write, "write");
  LOOKUP (real_pwrite, "pwrite");
  LOOKUP (real_pwrite64, "pwrite64");
  LOOKUP (real_ftruncate, "ftruncate");
  LOOKUP (real_ftruncate64, "ftruncate64");
  LOOKUP (real_fsync, "fsync");
  LOOKUP (real_fdatasync, "fdatasync");
  LOOKUP (real_rename, "rename");
  LOOKUP (real_renameat2, "renameat2");
  LOOKUP (real_unlink, "unlink");
  watched = getenv ("HP_POWERCUT_DIR");
  shadow = getenv ("HP_POWERCUT_SHADOW");
  nosync = getenv ("HP_POWERCUT_NOSYNC") != NULL && strcmp (getenv ("HP_POWERCUT_NOSYNC"), "1") == 0;
  if (watched != NULL && shadow != NULL)
    watched_len = strlen (watched);
  else
    watched = NULL;
}

/* The name inside the followed folder, or NULL for any other path. */
static const char *
followed_name (const char *path)
{
  if (watched == NULL || path == NULL || strncmp (path, watched, watched_len) != 0
      || path[watched_len] != '/' || path[watched_len + 1] == '\0'
      || strchr (path + watched_len + 1, '/') != NULL)
    return NULL;
  return path + watched_len + 1;
}

static void
shadow_path (char       *out,
             const char *kind,
             const char *name)
{
  snprintf (out, PATH_MAX, "%s/%s/%s", shadow, kind, name);
}

static void
write_all (int          fd,
           const void  *data,
           size_t       length)
{
  const char *p = data;

  while (length > 0)
    {
      ssize_t n = real_write (fd, p, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        abort ();
      p += n;
      length -= (size_t) n;
    }
}

static void
note_pending (int      fd,
              uint64_t offset,
              uint64_t length)
{
  char path[PATH_MAX];
  uint64_t record[2] = { offset, length };
  int saved = errno;
  int out;

  if (fd < 0 || fd >= MAX_FDS || names[fd] == NULL)
    return;
  shadow_path (path, "pending", names[fd]);
  out = real_open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (out < 0)
    abort ();
  write_all (out, record, sizeof record);
  real_close (out);
  errno = saved;
}

/* The file as it is now becomes what lasts; its pending writes are gone. */
static void
note_synced (int fd)
{
  char path[PATH_MAX];
  char copy[PATH_MAX + 8];
  char durable[PATH_MAX];
  char pending[PATH_MAX];
  char buffer[65536];
  int saved = errno;
  int in;
  int out;
  ssize_t n;

  if (fd < 0 || fd >= MAX_FDS || names[fd] == NULL)
    return;
  snprintf (path, sizeof path, "%s/%s", watched, names[fd]);
  shadow_path (durable, "durable", names[fd]);
  shadow_path (pending, "pending", names[fd]);
  snprintf (copy, sizeof copy, "%s.new", durable);
  in = real_open (path, O_RDONLY | O_CLOEXEC);
  out = real_open (copy, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (in < 0 || out < 0)
    abort ();
  while ((n = read (in, buffer, sizeof buffer)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        abort ();
      write_all (out, buffer, (size_t) n);
    }
  real_close (in);
  real_close (out);
  if (real_rename (copy, durable) != 0)
    abort ();
  real_unlink (pending);
  errno = saved;
}

static void
follow (int         fd,
        const char *path)
{
  const char *name = followed_name (path);

  if (fd < 0 || fd >= MAX_FDS || name == NULL)
    return;
  pthread_mutex_lock (&lock);
  free (names[fd]);
  names[fd] = strdup (name);
  pthread_mutex_unlock (&lock);
}

#define MODE_ARG(flags, mode)                               \
  do {                                                      \
    if ((flags) & (O_CREAT | O_TMPFILE))                    \
      {                                                     \
        va_list args;                                       \
        va_start (args, flags);                             \
        mode = va_arg (args, mode_t);                       \
        va_end (args);                                      \
      }                                                     \
  } while (0)

/* A file just opened: followed if it is in the folder, and truncated by
 * O_TRUNC as by ftruncate(). */
static int
opened (int         fd,
        const char *path,
        int         flags)
{
  follow (fd, path);
  if (fd >= 0 && (flags & O_TRUNC))
    note_pending (fd, 0, TRUNCATION);
  return fd;
}

int
open (const char *path,
      int         flags,
      ...)
{
  mode_t mode = 0;

  MODE_ARG (flags, mode);
  return opened (real_open (path, flags, mode), path, flags);
}

int
open64 (const char *path,
        int         flags,
        ...)
{
  mode_t mode = 0;

  MODE_ARG (flags, mode);
  return opened (real_open64 (path, flags, mode), path, flags);
}

/* Only absolute paths are followed; the program under test names its
 * files so. */
int
openat (int         dir,
        const char *path,
        int         flags,
        ...)
{
  mode_t mode = 0;

  MODE_ARG (flags, mode);
  return opened (real_openat (dir, path, flags, mode), path[0] == '/' ? path : NULL, flags);
}

int
openat64 (int         dir,
          const char *path,
          int         flags,
          ...)
{
  mode_t mode = 0;

  MODE_ARG (flags, mode);
  return opened (real_openat64 (dir, path, flags, mode), path[0] == '/' ? path : NULL, flags);
}

int
close (int fd)
{
  if (fd >= 0 && fd < MAX_FDS)
    {
      pthread_mutex_lock (&lock);
      free (names[fd]);
      names[fd] = NULL;
      pthread_mutex_unlock (&lock);
    }
  return real_close (fd);
}

ssize_t
write (int         fd,
       const void *data,
       size_t      length)
{
  ssize_t n = real_write (fd, data, length);

  if (n > 0 && fd >= 0 && fd < MAX_FDS && names[fd] != NULL)
    {
      off_t end = lseek (fd, 0, SEEK_CUR);

      if (end >= n)
        note_pending (fd, (uint64_t) (end - n), (uint64_t) n);
    }
  return n;
}

ssize_t
pwrite (int         fd,
        const void *data,
        size_t      length,
        off_t       offset)
{
  ssize_t n = real_pwrite (fd, data, length, offset);

  if (n > 0)
    note_pending (fd, (uint64_t) offset, (uint64_t) n);
  return n;
}

ssize_t
pwrite64 (int         fd,
          const void *data,
          size_t      length,
          off64_t     offset)
{
  ssize_t n = real_pwrite64 (fd, data, length, offset);

  if (n > 0)
    note_pending (fd, (uint64_t) offset, (uint64_t) n);
  return n;
}

int
ftruncate (int   fd,
           off_t length)
{
  int result = real_ftruncate (fd, length);

  if (result == 0)
    note_pending (fd, (uint64_t) length, TRUNCATION);
  return result;
}

int
ftruncate64 (int     fd,
             off64_t length)
{
  int result = real_ftruncate64 (fd, length);

  if (result == 0)
    note_pending (fd, (uint64_t) length, TRUNCATION);
  return result;
}

int
fsync (int fd)
{
  if (nosync)
    return 0;
  if (real_fsync (fd) != 0)
    return -1;
  note_synced (fd);
  return 0;
}

int
fdatasync (int fd)
{
  if (nosync)
    return 0;
  if (real_fdatasync (fd) != 0)
    return -1;
  note_synced (fd);
  return 0;
}

static void
move_shadow (const char *from,
             const char *to)
{
  const char *from_name = followed_name (from);
  const char *to_name = followed_name (to);
  const char *kinds[] = { "durable", "pending" };

  if (from_name == NULL && to_name == NULL)
    return;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    {
      char from_path[PATH_MAX];
      char to_path[PATH_MAX];

      if (to_name != NULL)
        shadow_path (to_path, kinds[i], to_name);
      if (from_name != NULL)
        shadow_path (from_path, kinds[i], from_name);
      if (from_name != NULL && to_name != NULL && real_rename (from_path, to_path) == 0)
        continue;
      if (to_name != NULL)
        real_unlink (to_path);
      if (from_name != NULL)
        real_unlink (from_path);
    }
}

int
rename (const char *from,
        const char *to)
{
  int saved;
  int result = real_rename (from, to);

  saved = errno;
  if (result == 0)
    move_shadow (from, to);
  errno = saved;
  return result;
}

int
renameat2 (int          from_dir,
           const char  *from,
           int          to_dir,
           const char  *to,
           unsigned int flags)
{
  int saved;
  int result = real_renameat2 (from_dir, from, to_dir, to, flags);

  saved = errno;
  if (result == 0 && from[0] == '/' && to[0] == '/')
    move_shadow (from, to);
  errno = saved;
  return result;
}

int
unlink (const char *path)
{
  int saved;
  int result = real_unlink (path);

  saved = errno;
  if (result == 0)
    move_shadow (path, NULL);
  errno = saved;
  return result;
}
