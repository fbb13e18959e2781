/* The kiosk's staff: accounts with a role and a PIN, logins with lockout, every change audited. */
#include "hp-staff.h"
#include "hp-pin-hash-private.h"
#include "hp-pin-rules.h"
#include "hp-secret.h"
#include "hp-sql-private.h"
#include "hp-store-private.h"

#include <string.h>

#include <openssl/crypto.h>

#define SALT_SIZE HP_PIN_SALT_SIZE
#define HASH_SIZE HP_PIN_HASH_SIZE

struct _HpStaff
{
  GObject parent_instance;

  HpStore *store;
  HpAuditLog *audit;
  guint8 *pepper;
  gsize pepper_len;
  HpClockFunc clock;
  gpointer clock_data;
};

G_DEFINE_FINAL_TYPE (HpStaff, hp_staff, G_TYPE_OBJECT)

G_DEFINE_QUARK (hp-staff-error-quark, hp_staff_error)

typedef sqlite3_stmt HpStaffStatement;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpStaffStatement, sqlite3_finalize)

static const char * const role_names[] = {
  [HP_STAFF_ROLE_TECHNICIAN] = "technician",
  [HP_STAFF_ROLE_ADMINISTRATOR] = "administrator",
};

const char *
hp_staff_role_to_string (HpStaffRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);
  return role_names[role];
}

gboolean
hp_staff_role_from_string (const char  *text,
                           HpStaffRole *role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (g_strcmp0 (text, role_names[i]) == 0)
      {
        if (role != NULL)
          *role = (HpStaffRole) i;
        return TRUE;
      }
  return FALSE;
}

void
hp_staff_member_free (HpStaffMember *member)
{
  if (member == NULL)
    return;
  g_free (member->display_name);
  g_free (member);
}

guint
hp_staff_lockout_seconds (guint failed_attempts)
{
  return hp_pin_lockout_seconds (failed_attempts, HP_STAFF_LOCKOUT_THRESHOLD,
                                 HP_STAFF_LOCKOUT_FIRST_SECONDS, HP_STAFF_LOCKOUT_MAX_SECONDS);
}

static void
hp_staff_finalize (GObject *object)
{
  HpStaff *self = HP_STAFF (object);

  if (self->pepper != NULL)
    {
      hp_secret_wipe (self->pepper, self->pepper_len);
      g_free (self->pepper);
    }
  g_clear_object (&self->audit);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (hp_staff_parent_class)->finalize (object);
}

static void
hp_staff_class_init (HpStaffClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hp_staff_finalize;
}

static gint64
real_clock (gpointer user_data G_GNUC_UNUSED)
{
  return g_get_real_time ();
}

static void
hp_staff_init (HpStaff *self)
{
  self->clock = real_clock;
}

HpStaff *
hp_staff_new (HpStore       *store,
              HpAuditLog    *audit,
              const guint8  *pepper,
              gsize          pepper_len,
              GError       **error)
{
  HpStaff *self;

  g_return_val_if_fail (HP_IS_STORE (store), NULL);
  g_return_val_if_fail (HP_IS_AUDIT_LOG (audit), NULL);
  g_return_val_if_fail (pepper != NULL || pepper_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (pepper_len < HP_STAFF_PEPPER_MIN_SIZE)
    {
      g_set_error (error, HP_STAFF_ERROR, HP_STAFF_ERROR_CRYPTO,
                   "The PIN pepper is %" G_GSIZE_FORMAT " bytes long; at least %d are needed",
                   pepper_len, HP_STAFF_PEPPER_MIN_SIZE);
      return NULL;
    }
  self = g_object_new (HP_TYPE_STAFF, NULL);
  self->store = g_object_ref (store);
  self->audit = g_object_ref (audit);
  self->pepper = g_memdup2 (pepper, pepper_len);
  self->pepper_len = pepper_len;
  return self;
}

void
hp_staff_set_clock (HpStaff     *self,
                    HpClockFunc  clock,
                    gpointer     user_data)
{
  g_return_if_fail (HP_IS_STAFF (self));

  self->clock = clock != NULL ? clock : real_clock;
  self->clock_data = clock != NULL ? user_data : NULL;
}

/* ---- checks and hashing ------------------------------------------------- */

static gboolean
check_pin (const char  *pin,
           GError     **error)
{
  if (!hp_pin_is_digits (pin, HP_STAFF_PIN_MIN_DIGITS, HP_STAFF_PIN_MAX_DIGITS))
    {
      g_set_error (error, HP_STAFF_ERROR, HP_STAFF_ERROR_INVALID_PIN,
                   "A PIN is %d to %d digits", HP_STAFF_PIN_MIN_DIGITS, HP_STAFF_PIN_MAX_DIGITS);
      return FALSE;
    }
  return TRUE;
}

/* Keypad shapes among the most frequent six-digit PINs that the rules of
 * hp_staff_pin_is_weak() do not already catch. */
static const char * const common_pins[] = {
  "102030", "123321", "123654", "147258", "147852", "159357", "159753",
  "258456", "321654", "456123", "654123", "741852", "789456", "852456",
  "963852", "987456",
};

gboolean
hp_staff_pin_is_weak (const char *pin)
{
  gsize length;

  g_return_val_if_fail (pin != NULL, TRUE);

  length = strlen (pin);
  /* A step of 0 is one digit repeated. */
  if (length < 2 || hp_pin_steps_evenly (pin, length, 1, TRUE))
    return TRUE;
  /* 112233, 998877: each digit doubled, the pairs in even steps. */
  if (length % 2 == 0 && hp_pin_steps_evenly (pin, length, 2, TRUE))
    {
      gboolean doubled = TRUE;

      for (gsize i = 0; i < length; i += 2)
        doubled = doubled && pin[i] == pin[i + 1];
      if (doubled)
        return TRUE;
    }
  /* A group shown twice over: 121212, 123123, 12341234. */
  for (gsize period = 1; period <= length / 2; period++)
    if (hp_pin_repeats (pin, length, period))
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (common_pins); i++)
    if (strcmp (pin, common_pins[i]) == 0)
      return TRUE;
  return FALSE;
}

/* A PIN being set: well-formed and not one a guesser tries first. The
 * message never repeats the PIN. */
static gboolean
check_new_pin (const char  *pin,
               GError     **error)
{
  if (!check_pin (pin, error))
    return FALSE;
  if (hp_staff_pin_is_weak (pin))
    {
      g_set_error_literal (error, HP_STAFF_ERROR, HP_STAFF_ERROR_WEAK_PIN,
                           "This PIN is too easy to guess (one digit repeated, digits "
                           "in even steps, a group repeated, or a common keypad "
                           "pattern); choose another");
      return FALSE;
    }
  return TRUE;
}

/* Plain text a screen and a printout can show: no control characters, not
 * blank. The name itself never goes into the message. */
static gboolean
check_name (const char  *name,
            GError     **error)
{
  glong n_chars;
  gboolean visible = FALSE;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    goto invalid;
  n_chars = g_utf8_strlen (name, -1);
  if (n_chars < 1 || n_chars > HP_STAFF_NAME_MAX_CHARS)
    goto invalid;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        goto invalid;
      if (!g_unichar_isspace (c))
        visible = TRUE;
    }
  if (visible)
    return TRUE;

invalid:
  g_set_error (error, HP_STAFF_ERROR, HP_STAFF_ERROR_INVALID_NAME,
               "A staff name is 1 to %d characters of plain text", HP_STAFF_NAME_MAX_CHARS);
  return FALSE;
}

/* scrypt over HMAC-SHA256(pepper, PIN): see hp-pin-hash-private.h. */
static gboolean
hash_pin (HpStaff          *self,
          const HpPinKdf   *kdf,
          const char       *pin,
          const guint8     *salt,
          guint8            hash[HASH_SIZE],
          GError          **error)
{
  if (!hp_pin_hash (self->pepper, self->pepper_len, kdf, pin, salt, hash))
    {
      g_set_error (error, HP_STAFF_ERROR, HP_STAFF_ERROR_CRYPTO,
                   "Cannot hash the PIN (%s)", kdf->name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
new_salt (guint8   salt[SALT_SIZE],
          GError **error)
{
  if (!hp_pin_new_salt (salt))
    {
      g_set_error_literal (error, HP_STAFF_ERROR, HP_STAFF_ERROR_CRYPTO,
                           "No randomness for a PIN salt");
      return FALSE;
    }
  return TRUE;
}

/* ---- database ------------------------------------------------------------ */

static sqlite3 *
get_db (HpStaff *self)
{
  return hp_store_get_db (self->store);
}

static gboolean
store_failed (HpStaff     *self,
              GError     **error)
{
  return hp_sql_set_error (error, HP_STAFF_ERROR, HP_STAFF_ERROR_STORE,
                           sqlite3_extended_errcode (get_db (self)), "; nothing was changed",
                           "The staff accounts in %s cannot be read or written",
                           hp_store_get_path (self->store));
}

static HpStaffStatement *
prepare (HpStaff     *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (get_db (self), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      store_failed (self, error);
      return NULL;
    }
  return stmt;
}

static gboolean
begin_write (HpStaff  *self,
             GError  **error)
{
  /* IMMEDIATE: the counters read next cannot change before they are written. */
  if (sqlite3_exec (get_db (self), "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return store_failed (self, error);
  return TRUE;
}

static void
rollback (HpStaff *self)
{
  if (!sqlite3_get_autocommit (get_db (self)))
    sqlite3_exec (get_db (self), "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
commit (HpStaff  *self,
        GError  **error)
{
  g_autoptr(GError) anchor_error = NULL;

  if (sqlite3_exec (get_db (self), "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      store_failed (self, error);
      rollback (self);
      return FALSE;
    }
  /* What was committed stays; a lagging anchor is told, and caught up by
   * the next entry. */
  if (!hp_audit_log_anchor (self->audit, &anchor_error))
    g_warning ("%s", anchor_error->message);
  return TRUE;
}

static gboolean
audit (HpStaff     *self,
       gint64       actor_id,
       const char  *action,
       GError     **error,
       const char  *detail_format,
       ...) G_GNUC_PRINTF (5, 6);

/* Details hold ids, roles and counts only. */
static gboolean
audit (HpStaff     *self,
       gint64       actor_id,
       const char  *action,
       GError     **error,
       const char  *detail_format,
       ...)
{
  g_autofree char *actor = NULL;
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, detail_format);
  detail = g_strdup_vprintf (detail_format, args);
  va_end (args);
  if (actor_id > 0)
    actor = hp_audit_actor_for_staff (actor_id);
  return hp_audit_append (self->audit,
                          actor != NULL ? actor : HP_AUDIT_ACTOR_KIOSK,
                          action, detail, error);
}

static HpStaffMember *
member_from_row (sqlite3_stmt *stmt)
{
  HpStaffMember *member = g_new0 (HpStaffMember, 1);
  const char *name = (const char *) sqlite3_column_text (stmt, 1);
  gint64 failed = sqlite3_column_int64 (stmt, 5);

  member->id = sqlite3_column_int64 (stmt, 0);
  member->display_name = g_strdup (name != NULL ? name : "");
  if (!hp_staff_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &member->role))
    member->role = HP_STAFF_ROLE_TECHNICIAN;
  member->created_at = sqlite3_column_int64 (stmt, 3);
  member->updated_at = sqlite3_column_int64 (stmt, 4);
  member->failed_attempts = (guint) CLAMP (failed, 0, G_MAXINT);
  member->locked_until = sqlite3_column_int64 (stmt, 6);
  return member;
}

#define MEMBER_COLUMNS \
  "id, display_name, role, created_at, updated_at, failed_attempts, locked_until"

static HpStaffMember *
lookup (HpStaff     *self,
        gint64       staff_id,
        GError     **error)
{
  g_autoptr(HpStaffStatement) select = NULL;
  int rc;

  select = prepare (self, "SELECT " MEMBER_COLUMNS " FROM staff WHERE id = ?1", error);
  if (select == NULL)
    return NULL;
  sqlite3_bind_int64 (select, 1, staff_id);
  rc = sqlite3_step (select);
  if (rc == SQLITE_ROW)
    return member_from_row (select);
  if (rc == SQLITE_DONE)
    g_set_error (error, HP_STAFF_ERROR, HP_STAFF_ERROR_NOT_FOUND,
                 "There is no staff account %" G_GINT64_FORMAT, staff_id);
  else
    store_failed (self, error);
  return NULL;
}

HpStaffMember *
hp_staff_lookup (HpStaff     *self,
                 gint64       staff_id,
                 GError     **error)
{
  g_return_val_if_fail (HP_IS_STAFF (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return lookup (self, staff_id, error);
}

GPtrArray *
hp_staff_list (HpStaff  *self,
               GError  **error)
{
  g_autoptr(HpStaffStatement) select = NULL;
  g_autoptr(GPtrArray) members = NULL;
  int rc;

  g_return_val_if_fail (HP_IS_STAFF (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  select = prepare (self, "SELECT " MEMBER_COLUMNS " FROM staff ORDER BY id", error);
  if (select == NULL)
    return NULL;
  members = g_ptr_array_new_with_free_func ((GDestroyNotify) hp_staff_member_free);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    g_ptr_array_add (members, member_from_row (select));
  if (rc != SQLITE_DONE)
    {
      store_failed (self, error);
      return NULL;
    }
  return g_steal_pointer (&members);
}

/* -1 on error. */
static gint64
count_administrators (HpStaff  *self,
                      GError  **error)
{
  g_autoptr(HpStaffStatement) select = NULL;

  select = prepare (self, "SELECT count(*) FROM staff WHERE role = 'administrator'", error);
  if (select == NULL)
    return -1;
  if (sqlite3_step (select) != SQLITE_ROW)
    {
      store_failed (self, error);
      return -1;
    }
  return sqlite3_column_int64 (select, 0);
}

gboolean
hp_staff_needs_first_admin (HpStaff  *self,
                            GError  **error)
{
  g_return_val_if_fail (HP_IS_STAFF (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return count_administrators (self, error) == 0;
}

/* Inside the caller's write transaction. Returns the new id, or 0. */
static gint64
insert_member (HpStaff      *self,
               const char   *display_name,
               HpStaffRole   role,
               const guint8 *salt,
               const guint8 *hash,
               gint64        now,
               GError      **error)
{
  g_autoptr(HpStaffStatement) insert = NULL;

  insert = prepare (self, "INSERT INTO staff (display_name, role, pin_kdf, pin_salt, pin_hash, "
                          "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                    error);
  if (insert == NULL)
    return 0;
  sqlite3_bind_text (insert, 1, display_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, hp_staff_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, hp_pin_kdf_for_staff ()->name, -1, SQLITE_STATIC);
  sqlite3_bind_blob (insert, 4, salt, SALT_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (insert, 5, hash, HASH_SIZE, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 6, now);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      store_failed (self, error);
      return 0;
    }
  return sqlite3_last_insert_rowid (get_db (self));
}

/* Checks the acting account's role inside the write transaction. A refusal
 * is audited and committed, then reported. */
static gboolean
check_administrator (HpStaff     *self,
                     gint64       admin_id,
                     const char  *what,
                     GError     **error)
{
  g_autoptr(HpStaffMember) admin = NULL;
  g_autoptr(GError) local_error = NULL;

  admin = lookup (self, admin_id, &local_error);
  if (admin == NULL && !g_error_matches (local_error, HP_STAFF_ERROR, HP_STAFF_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (admin != NULL && admin->role == HP_STAFF_ROLE_ADMINISTRATOR)
    return TRUE;

  if (!audit (self, admin != NULL ? admin_id : 0, "staff.denied", error,
              "%s by staff:%" G_GINT64_FORMAT, what, admin_id)
      || !commit (self, error))
    return FALSE;
  g_set_error (error, HP_STAFF_ERROR, HP_STAFF_ERROR_NOT_ALLOWED,
               "Only an administrator may %s staff accounts", what);
  return FALSE;
}

gboolean
hp_staff_record_denied (HpStaff     *self,
                        gint64       staff_id,
                        const char  *what,
                        GError     **error)
{
  g_return_val_if_fail (HP_IS_STAFF (self), FALSE);
  g_return_val_if_fail (what != NULL, FALSE);

  if (!begin_write (self, error))
    return FALSE;
  if (!audit (self, staff_id, "staff.denied", error, "%s by staff:%" G_GINT64_FORMAT, what, staff_id) ||
      !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

gint64
hp_staff_create_first_admin (HpStaff     *self,
                             const char  *display_name,
                             const char  *pin,
                             GError     **error)
{
  guint8 salt[SALT_SIZE];
  guint8 hash[HASH_SIZE];
  gint64 admins;
  gint64 id;

  g_return_val_if_fail (HP_IS_STAFF (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!check_name (display_name, error) || !check_new_pin (pin, error)
      || !new_salt (salt, error) || !hash_pin (self, hp_pin_kdf_for_staff (), pin, salt, hash, error))
    return 0;

  if (!begin_write (self, error))
    return 0;
  admins = count_administrators (self, error);
  if (admins != 0)
    {
      rollback (self);
      if (admins > 0)
        g_set_error_literal (error, HP_STAFF_ERROR, HP_STAFF_ERROR_SETUP,
                             "An administrator exists already; first-run setup is over");
      return 0;
    }
  id = insert_member (self, display_name, HP_STAFF_ROLE_ADMINISTRATOR, salt, hash,
                      self->clock (self->clock_data), error);
  if (id == 0
      || !audit (self, 0, "staff.add", error, "staff:%" G_GINT64_FORMAT " role=administrator first-run", id)
      || !commit (self, error))
    {
      rollback (self);
      return 0;
    }
  return id;
}

gint64
hp_staff_add (HpStaff     *self,
              gint64       admin_id,
              const char  *display_name,
              HpStaffRole  role,
              const char  *pin,
              GError     **error)
{
  guint8 salt[SALT_SIZE];
  guint8 hash[HASH_SIZE];
  gint64 id;

  g_return_val_if_fail (HP_IS_STAFF (self), 0);
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!check_name (display_name, error) || !check_new_pin (pin, error)
      || !new_salt (salt, error) || !hash_pin (self, hp_pin_kdf_for_staff (), pin, salt, hash, error))
    return 0;

  if (!begin_write (self, error))
    return 0;
  if (!check_administrator (self, admin_id, "add", error))
    {
      rollback (self);
      return 0;
    }
  id = insert_member (self, display_name, role, salt, hash, self->clock (self->clock_data), error);
  if (id == 0
      || !audit (self, admin_id, "staff.add", error, "staff:%" G_GINT64_FORMAT " role=%s",
                 id, hp_staff_role_to_string (role))
      || !commit (self, error))
    {
      rollback (self);
      return 0;
    }
  return id;
}

gboolean
hp_staff_remove (HpStaff  *self,
                 gint64    admin_id,
                 gint64    staff_id,
                 GError  **error)
{
  g_autoptr(HpStaffMember) member = NULL;
  g_autoptr(HpStaffStatement) delete = NULL;

  g_return_val_if_fail (HP_IS_STAFF (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!begin_write (self, error))
    return FALSE;
  if (!check_administrator (self, admin_id, "remove", error))
    goto failed;
  member = lookup (self, staff_id, error);
  if (member == NULL)
    goto failed;
  if (member->role == HP_STAFF_ROLE_ADMINISTRATOR)
    {
      gint64 admins = count_administrators (self, error);

      if (admins < 0)
        goto failed;
      if (admins <= 1)
        {
          g_set_error_literal (error, HP_STAFF_ERROR, HP_STAFF_ERROR_SETUP,
                               "The last administrator cannot be removed; add another first");
          goto failed;
        }
    }

  delete = prepare (self, "DELETE FROM staff WHERE id = ?1", error);
  if (delete == NULL)
    goto failed;
  sqlite3_bind_int64 (delete, 1, staff_id);
  if (sqlite3_step (delete) != SQLITE_DONE)
    {
      store_failed (self, error);
      goto failed;
    }
  if (!audit (self, admin_id, "staff.remove", error, "staff:%" G_GINT64_FORMAT " role=%s",
              staff_id, hp_staff_role_to_string (member->role))
      || !commit (self, error))
    goto failed;
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

/* FALSE with NOT_FOUND, or with STORE for a row this build cannot use. */
static gboolean
read_secret (HpStaff      *self,
             gint64        staff_id,
             HpStoredPin  *secret,
             GError      **error)
{
  g_autoptr(HpStaffStatement) select = NULL;
  int rc;

  select = prepare (self, "SELECT " HP_PIN_COLUMNS " FROM staff WHERE id = ?1", error);
  if (select == NULL)
    return FALSE;
  sqlite3_bind_int64 (select, 1, staff_id);
  rc = sqlite3_step (select);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, HP_STAFF_ERROR, HP_STAFF_ERROR_NOT_FOUND,
                   "There is no staff account %" G_GINT64_FORMAT, staff_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return store_failed (self, error);

  if (!hp_pin_read_stored (select, 0, secret))
    {
      g_set_error (error, HP_STAFF_ERROR, HP_STAFF_ERROR_STORE,
                   "Staff account %" G_GINT64_FORMAT " holds a PIN hash this build cannot check",
                   staff_id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_counters (HpStaff  *self,
                gint64    staff_id,
                guint     failed_attempts,
                gint64    locked_until,
                GError  **error)
{
  g_autoptr(HpStaffStatement) update = NULL;

  update = prepare (self, "UPDATE staff SET failed_attempts = ?2, locked_until = ?3 WHERE id = ?1",
                    error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, staff_id);
  sqlite3_bind_int64 (update, 2, failed_attempts);
  sqlite3_bind_int64 (update, 3, locked_until);
  if (sqlite3_step (update) != SQLITE_DONE)
    return store_failed (self, error);
  return TRUE;
}

/* A PIN hashed with older settings, just found right, is hashed again
 * with today's (and a new salt) in the sign-in's transaction. */
static gboolean
rehash_pin (HpStaff     *self,
            gint64       staff_id,
            const char  *pin,
            GError     **error)
{
  const HpPinKdf *kdf = hp_pin_kdf_for_staff ();
  g_autoptr(HpStaffStatement) update = NULL;
  guint8 salt[SALT_SIZE];
  guint8 hash[HASH_SIZE];
  gboolean done;

  if (!new_salt (salt, error) || !hash_pin (self, kdf, pin, salt, hash, error))
    return FALSE;
  update = prepare (self, "UPDATE staff SET pin_kdf = ?2, pin_salt = ?3, pin_hash = ?4 WHERE id = ?1",
                    error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, staff_id);
  sqlite3_bind_text (update, 2, kdf->name, -1, SQLITE_STATIC);
  sqlite3_bind_blob (update, 3, salt, SALT_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (update, 4, hash, HASH_SIZE, SQLITE_STATIC);
  done = sqlite3_step (update) == SQLITE_DONE || store_failed (self, error);
  hp_secret_wipe (hash, sizeof hash);
  return done && audit (self, staff_id, "staff.pin-rehashed", error,
                        "staff:%" G_GINT64_FORMAT " kdf=%s", staff_id, kdf->name);
}

static HpStaffMember *
authenticate_locked (HpStaff     *self,
                     gint64       staff_id,
                     const char  *pin,
                     gint64       now,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  guint8 hash[HASH_SIZE];
  HpStoredPin secret = { 0 };
  gboolean right;
  guint lock_seconds;

  if (!read_secret (self, staff_id, &secret, &local_error))
    {
      if (g_error_matches (local_error, HP_STAFF_ERROR, HP_STAFF_ERROR_NOT_FOUND)
          && (!audit (self, 0, "staff.login-failed", error, "unknown staff:%" G_GINT64_FORMAT, staff_id)
              || !commit (self, error)))
        return NULL;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (now < secret.locked_until)
    {
      gint64 left = (secret.locked_until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

      if (!audit (self, 0, "staff.login-refused", error, "staff:%" G_GINT64_FORMAT " locked", staff_id)
          || !commit (self, error))
        return NULL;
      g_set_error (error, HP_STAFF_ERROR, HP_STAFF_ERROR_LOCKED,
                   "Staff account %" G_GINT64_FORMAT " is locked for another %" G_GINT64_FORMAT " s",
                   staff_id, left);
      return NULL;
    }

  if (!hash_pin (self, secret.kdf, pin, secret.salt, hash, error))
    return NULL;
  right = hp_pin_hash_equal (hash, secret.hash);
  hp_secret_wipe (hash, sizeof hash);
  hp_secret_wipe (&secret.hash, sizeof secret.hash);

  if (right)
    {
      if ((secret.kdf != hp_pin_kdf_for_staff () && !rehash_pin (self, staff_id, pin, error))
          || !write_counters (self, staff_id, 0, 0, error)
          || !audit (self, staff_id, "staff.login", error, "%s", "")
          || !commit (self, error))
        return NULL;
      return lookup (self, staff_id, error);
    }

  secret.failed_attempts = MIN (secret.failed_attempts + 1, (guint) G_MAXINT);
  lock_seconds = hp_staff_lockout_seconds (secret.failed_attempts);
  if (!write_counters (self, staff_id, secret.failed_attempts,
                       lock_seconds > 0 ? now + (gint64) lock_seconds * G_USEC_PER_SEC : 0, error)
      || !audit (self, 0, "staff.login-failed", error, "staff:%" G_GINT64_FORMAT " attempt=%u",
                 staff_id, secret.failed_attempts)
      || (lock_seconds > 0
          && !audit (self, 0, "staff.lockout", error, "staff:%" G_GINT64_FORMAT " seconds=%u",
                     staff_id, lock_seconds))
      || !commit (self, error))
    return NULL;

  if (lock_seconds > 0)
    g_set_error (error, HP_STAFF_ERROR, HP_STAFF_ERROR_WRONG_PIN,
                 "Wrong PIN; staff account %" G_GINT64_FORMAT " is locked for %u s",
                 staff_id, lock_seconds);
  else
    g_set_error_literal (error, HP_STAFF_ERROR, HP_STAFF_ERROR_WRONG_PIN, "Wrong PIN");
  return NULL;
}

HpStaffMember *
hp_staff_authenticate (HpStaff     *self,
                       gint64       staff_id,
                       const char  *pin,
                       GError     **error)
{
  HpStaffMember *member;
  gint64 now;

  g_return_val_if_fail (HP_IS_STAFF (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A PIN that cannot be right is a typing slip, not a guess: it costs no
   * attempt and touches nothing. */
  if (!check_pin (pin, error))
    return NULL;

  now = self->clock (self->clock_data);
  if (!begin_write (self, error))
    return NULL;
  member = authenticate_locked (self, staff_id, pin, now, error);
  rollback (self);
  return member;
}
