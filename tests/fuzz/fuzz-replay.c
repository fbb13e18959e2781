/* libFuzzer target: a capture replayed through a driver, as healthpost-ctl decode does (the first byte picks the driver). */
#include <stdint.h>
#include <string.h>

#include "hp-phdc-device.h"
#include "hp-replay.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(HpMeasurement) measurement = NULL;
  const HpDriver * const *drivers;
  const HpDriver *driver;
  gsize n_drivers;

  if (size < 1)
    return 0;
  drivers = hp_driver_registry_list (&n_drivers);
  driver = drivers[data[0] % n_drivers];
  messages = hp_capture_parse ((const char *) data + 1, size - 1, &error);
  if (messages == NULL)
    return 0;

  /* A driver that waits for what the capture does not hold is unplugged
   * soon: each input must end, with one of a reading and an error. */
  hp_replay_set_silence_ms (5);
  hp_phdc_device_forget_learned_configurations ();
  measurement = hp_replay_capture (driver, NULL, messages, NULL, &error);
  if ((measurement == NULL) == (error == NULL))
    __builtin_trap ();
  if (error != NULL && (error->domain != HP_CAPTURE_ERROR || error->message[0] == '\0'))
    __builtin_trap ();
  /* Nothing of the replay may stay behind for the next input. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
