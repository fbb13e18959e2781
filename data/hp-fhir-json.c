/* FHIR JSON text: resources printed member by member as they are built, strings escaped and decimals in their shortest plain form. */
#include "hp-fhir.h"
#include "hp-fhir-private.h"

/* json-glib prints every double with 17 digits (5.4 becomes
 * 5.4000000000000004), which a FHIR decimal would read as a claim of that
 * precision; and the shortest %g text writes 190 as 1.9e+02, 30 as 3e+01.
 * A FHIR decimal's text is its precision: the fewest decimals, in plain
 * notation, that read back as the same double are written ("190", "5.4"). */
static void
append_number (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  for (int decimals = 0; decimals <= 17; decimals++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%df", decimals);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        {
          g_string_append (out, buffer);
          return;
        }
    }
  /* Beyond what plain decimals can say in this buffer: every digit. */
  g_ascii_formatd (buffer, sizeof buffer, "%.17g", value);
  g_string_append (out, buffer);
}

void
hp_fhir_append_string (GString    *out,
                       const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_object (GString    *out,
               JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      hp_fhir_append_string (out, l->data);
      g_string_append_c (out, ':');
      hp_fhir_append_node (out, json_object_get_member (object, l->data));
    }
  g_string_append_c (out, '}');
}

void
hp_fhir_append_node (GString  *out,
                     JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      append_object (out, json_node_get_object (node));
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            hp_fhir_append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          hp_fhir_append_string (out, json_node_get_string (node));
          break;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_number (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        default:
          g_return_if_reached ();
        }
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    default:
      g_return_if_reached ();
    }
}
