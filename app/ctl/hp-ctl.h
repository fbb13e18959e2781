/* healthpost-ctl's commands: each lives in its own file and is listed in hp-ctl.c. */
#pragma once

#include "hp-config.h"
#include "hp-store.h"

G_BEGIN_DECLS

/* A command gets the words after the global options, its own name first
 * (argv[0]), and parses its own options. It returns the process's exit
 * status: 0 done, 1 failed (a message on stderr), 2 wrong usage. */
typedef int (*HpCtlRunFunc) (int argc, char **argv);

typedef struct {
  const char  *name;
  const char  *usage;   /* "export --fhir [--since DATE] FILE" */
  const char  *summary; /* one line */
  HpCtlRunFunc run;
} HpCtlCommand;

/* The configuration the global --config and --demo options select; prints
 * why and returns %NULL when it cannot be read. */
HpConfig *hp_ctl_load_config (void);

/* The options every command takes before its name (--config, --demo),
 * which hp_ctl_load_config() follows. */
const GOptionEntry *hp_ctl_global_entries (void);

/* What a command does with the database. */
typedef enum {
  HP_CTL_READ,   /* opened read-only: never migrated, created or changed */
  HP_CTL_WRITE,  /* brought to this build's schema, for commands that write */
} HpCtlAccess;

/* The configured database, which must exist, opened with the kiosk's own
 * root key (never one made up beside it; @keyring, may be %NULL, receives
 * it), after SQLite's quick check: a damaged file is refused, and nothing
 * is written into it. */
HpStore  *hp_ctl_open_store  (HpConfig    *config,
                              HpCtlAccess  access,
                              HpKeyring  **keyring,
                              GError     **error);

/* Prints "healthpost-ctl: MESSAGE" on stderr and returns 1. */
int       hp_ctl_fail        (const char *format,
                              ...) G_GNUC_PRINTF (1, 2);

/* Parses a command's own options from argv (argv[0] is the command);
 * on a bad option prints why with the usage line and returns FALSE. */
gboolean  hp_ctl_parse_options (const HpCtlCommand *command,
                                const GOptionEntry *entries,
                                int                *argc,
                                char             ***argv);

/* The commands, one per file. */
int hp_ctl_devices (int argc, char **argv);
int hp_ctl_read    (int argc, char **argv);
int hp_ctl_decode  (int argc, char **argv);
int hp_ctl_export  (int argc, char **argv);
int hp_ctl_alarms  (int argc, char **argv);
int hp_ctl_audit     (int argc, char **argv);
int hp_ctl_staff     (int argc, char **argv);
int hp_ctl_retention (int argc, char **argv);
int hp_ctl_print_test (int argc, char **argv);

/* Prints the store's open alarms for staff; returns how many, or -1 when
 * they cannot be read (the reason on stderr). */
int hp_ctl_print_store_alarms (const char *database_path);

G_END_DECLS
