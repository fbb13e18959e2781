/* Wiping secrets from memory: the one way the kiosk does it, which the compiler keeps. */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* Overwrites @length bytes at @buffer with zeros, in a way the compiler
 * keeps even when the memory is freed or goes out of scope next. */
static inline void
hp_secret_wipe (void  *buffer,
                gsize  length)
{
  if (buffer != NULL && length > 0)
    explicit_bzero (buffer, length);
}

/* Wipes the string @text up to its terminator, then frees it; %NULL is fine. */
static inline void
hp_secret_free (char *text)
{
  if (text != NULL)
    hp_secret_wipe (text, strlen (text));
  g_free (text);
}

/* hp_secret_free()s *@text and sets it to %NULL. */
static inline void
hp_secret_clear (char **text)
{
  hp_secret_free (*text);
  *text = NULL;
}

/* A string g_autoptr() wipes before freeing: g_autoptr(HpSecretString). */
typedef char HpSecretString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HpSecretString, hp_secret_free)

G_END_DECLS
