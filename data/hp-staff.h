/* The kiosk's staff: accounts with a role and a PIN, logins with lockout, every change audited. */
#pragma once

#include <gio/gio.h>

#include "hp-audit.h"
#include "hp-store.h"

G_BEGIN_DECLS

#define HP_STAFF_ERROR (hp_staff_error_quark ())

typedef enum {
  HP_STAFF_ERROR_INVALID_PIN,   /* not 6 to 12 digits */
  HP_STAFF_ERROR_INVALID_NAME,  /* empty, too long, or not plain text */
  HP_STAFF_ERROR_WRONG_PIN,
  HP_STAFF_ERROR_LOCKED,        /* too many wrong PINs: refused until the lock ends */
  HP_STAFF_ERROR_NOT_FOUND,
  HP_STAFF_ERROR_NOT_ALLOWED,   /* the acting staff member's role does not allow it */
  HP_STAFF_ERROR_SETUP,         /* first-run setup is over, or the last administrator would go */
  HP_STAFF_ERROR_STORE,         /* the database failed; nothing was changed */
  HP_STAFF_ERROR_CRYPTO,        /* hashing failed (no memory, no randomness) */
  HP_STAFF_ERROR_WEAK_PIN,      /* a new PIN easy to guess: see hp_staff_pin_is_weak() */
} HpStaffError;

GQuark hp_staff_error_quark (void);

typedef enum {
  HP_STAFF_ROLE_TECHNICIAN,
  HP_STAFF_ROLE_ADMINISTRATOR,
} HpStaffRole;

const char *hp_staff_role_to_string   (HpStaffRole  role);
gboolean    hp_staff_role_from_string (const char  *text,
                                       HpStaffRole *role);

#define HP_STAFF_PIN_MIN_DIGITS 6
#define HP_STAFF_PIN_MAX_DIGITS 12
#define HP_STAFF_NAME_MAX_CHARS 64
/* The pepper (a secret kept out of the database) must be at least this long. */
#define HP_STAFF_PEPPER_MIN_SIZE 16

/* Lockout policy, in one place: after HP_STAFF_LOCKOUT_THRESHOLD wrong PINs
 * in a row the account is locked for HP_STAFF_LOCKOUT_FIRST_SECONDS; each
 * further wrong PIN (tried once the lock has ended) doubles the lock, up to
 * HP_STAFF_LOCKOUT_MAX_SECONDS. While locked every PIN, the right one too,
 * is refused without being checked. A right PIN outside a lock resets the
 * count. With 6 digits and these numbers, guessing through the whole PIN
 * space takes longer than a century. */
#define HP_STAFF_LOCKOUT_THRESHOLD     5
#define HP_STAFF_LOCKOUT_FIRST_SECONDS 30
#define HP_STAFF_LOCKOUT_MAX_SECONDS   3600

/* One staff account as listed; never carries the PIN or its hash. The
 * display name is personal data: never log it. */
typedef struct {
  gint64       id;
  char        *display_name;
  HpStaffRole  role;
  gint64       created_at;      /* µs since the epoch, UTC */
  gint64       updated_at;
  guint        failed_attempts;
  gint64       locked_until;    /* 0 when not locked */
} HpStaffMember;

void hp_staff_member_free (HpStaffMember *member);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpStaffMember, hp_staff_member_free)

/* Seconds an account is locked for after its @failed_attempts-th wrong PIN
 * in a row; 0 below the threshold. */
guint hp_staff_lockout_seconds (guint failed_attempts);

#define HP_TYPE_STAFF (hp_staff_get_type ())
G_DECLARE_FINAL_TYPE (HpStaff, hp_staff, HP, STAFF, GObject)

/* The staff accounts in @store, audited to @audit; @pepper is copied and
 * wiped on finalize. */
HpStaff       *hp_staff_new                (HpStore       *store,
                                            HpAuditLog    *audit,
                                            const guint8  *pepper,
                                            gsize          pepper_len,
                                            GError       **error);

/* Replaces the clock used for lockouts and account times
 * (g_get_real_time() by default). */
void           hp_staff_set_clock          (HpStaff       *self,
                                            HpClockFunc    clock,
                                            gpointer       user_data);

/* TRUE while no administrator exists: the kiosk then offers first-run
 * setup. FALSE with @error set when the database cannot be read, so a
 * failing disk never reopens setup. */
gboolean       hp_staff_needs_first_admin  (HpStaff       *self,
                                            GError       **error);

/* TRUE for a PIN of the shapes people pick most, which a guesser tries
 * first: one digit repeated (000000), digits in even steps (123456, 975319,
 * 890123), a group repeated (121212, 123123), pairs in even steps (112233),
 * or one of a short list of keypad patterns reported among the most common
 * six-digit PINs (Wang et al., "Understanding Human-chosen PINs", ASIA CCS
 * 2017; Markert et al., "This PIN Can Be Easily Guessed", IEEE S&P 2020).
 * A new PIN like that is refused with HP_STAFF_ERROR_WEAK_PIN; signing in
 * with an old one still works. */
gboolean       hp_staff_pin_is_weak        (const char    *pin);

/* Creates the first administrator; refused (HP_STAFF_ERROR_SETUP) once one
 * exists. Returns the new id, or 0 with @error set. */
gint64         hp_staff_create_first_admin (HpStaff       *self,
                                            const char    *display_name,
                                            const char    *pin,
                                            GError       **error);

/* Adds an account on behalf of @admin_id, who must be an administrator
 * (checked against the database, not trusted). Returns the new id, or 0. */
gint64         hp_staff_add                (HpStaff       *self,
                                            gint64         admin_id,
                                            const char    *display_name,
                                            HpStaffRole    role,
                                            const char    *pin,
                                            GError       **error);

/* Removes account @staff_id on behalf of administrator @admin_id. The last
 * administrator cannot be removed: that would reopen first-run setup to
 * whoever stands at the kiosk. */
gboolean       hp_staff_remove             (HpStaff       *self,
                                            gint64         admin_id,
                                            gint64         staff_id,
                                            GError       **error);

/* Checks @pin for account @staff_id, applying the lockout policy; every
 * attempt is audited. Returns the account on success, else %NULL with
 * HP_STAFF_ERROR_WRONG_PIN, _LOCKED, _NOT_FOUND or _INVALID_PIN. */
HpStaffMember *hp_staff_authenticate       (HpStaff       *self,
                                            gint64         staff_id,
                                            const char    *pin,
                                            GError       **error);

/* Audits that signed-in account @staff_id was refused @what ("add",
 * "remove"): an action its role does not allow, refused before it began. */
gboolean       hp_staff_record_denied      (HpStaff       *self,
                                            gint64         staff_id,
                                            const char    *what,
                                            GError       **error);

/* All accounts by id, as a GPtrArray of HpStaffMember. */
GPtrArray     *hp_staff_list               (HpStaff       *self,
                                            GError       **error);

/* One account, or %NULL with HP_STAFF_ERROR_NOT_FOUND. */
HpStaffMember *hp_staff_lookup             (HpStaff       *self,
                                            gint64         staff_id,
                                            GError       **error);

G_END_DECLS
