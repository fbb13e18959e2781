/* libFuzzer target: the text a printed summary takes from outside (the kiosk's location, the QR token, a personal code), on every paper. */
#include <stdint.h>
#include <string.h>

#include "hp-summary-pdf.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* The input: one byte for the paper and direction, then the location, the
 * token and the personal code, separated by NUL bytes. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GDateTime) started = g_date_time_new_utc (2026, 3, 14, 9, 30, 0);
  g_autoptr(HpVisit) visit = hp_visit_new_full ("fuzz-visit", started);
  g_autoptr(HpMeasurement) pressure = hp_measurement_new (HP_MEASUREMENT_KIND_BLOOD_PRESSURE);
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  HpSummaryInput input = { 0 };
  const char *fields[3] = { NULL, NULL, NULL };
  const char *p, *end;
  guint n_fields = 0;

  if (size < 1)
    return 0;
  /* A NUL-terminated copy: the fields are C strings. */
  text = g_malloc (size);
  memcpy (text, data + 1, size - 1);
  text[size - 1] = '\0';
  p = text;
  end = text + size - 1;
  while (n_fields < G_N_ELEMENTS (fields) && p <= end)
    {
      fields[n_fields++] = p;
      p += strlen (p) + 1;
    }

  hp_measurement_set_value (pressure, HP_QUANTITY_SYSTOLIC, 128, "mm[Hg]");
  hp_measurement_set_value (pressure, HP_QUANTITY_DIASTOLIC, 82, "mm[Hg]");
  hp_visit_add_measurement (visit, pressure);
  hp_visit_set_patient_code (visit, fields[2]);

  input.visit = visit;
  input.location = fields[0];
  input.qr_token = fields[1];
  input.right_to_left = (data[0] & 0x80) != 0;
  /* Papers past the last must be refused, not drawn. */
  pdf = hp_summary_render_pdf (&input, (HpPaper) (data[0] & 0x03), &error);

  /* Exactly one of a PDF and an error. */
  if ((pdf == NULL) == (error == NULL))
    __builtin_trap ();
  if ((data[0] & 0x03) > HP_PAPER_LAST && pdf != NULL)
    __builtin_trap ();
  return 0;
}
