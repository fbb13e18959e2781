/* IEEE 11073-20601 APDUs: decoding them; encoding association, release, abort, event reports. */
#include "hp-ieee11073.h"
#include "hp-ieee11073-private.h"

#include <string.h>

/* ---- APDU decoding ---------------------------------------------------- */

gboolean
hp_ieee11073_apdu_complete (const guint8 *data,
                            gsize         len,
                            gsize        *frame_len)
{
  gsize needed;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (len < HP_IEEE11073_APDU_HEADER_SIZE)
    return FALSE;
  needed = HP_IEEE11073_APDU_HEADER_SIZE + (((gsize) data[2] << 8) | data[3]);
  if (len < needed)
    return FALSE;
  if (frame_len != NULL)
    *frame_len = needed;
  return TRUE;
}

static gboolean
decode_attribute_list (Cursor     *c,
                       const char *what)
{
  Cursor items;
  guint16 count;

  if (!hp_ieee11073_read_list_header (c, &count, &items, what))
    return FALSE;
  for (guint i = 0; i < count; i++)
    {
      guint16 attribute_id;
      Cursor value;

      if (!hp_ieee11073_read_u16 (&items, &attribute_id, "attribute id") ||
          !hp_ieee11073_read_window (&items, &value, "attribute value"))
        return FALSE;
    }
  return hp_ieee11073_expect_consumed (&items, what);
}

static gboolean
decode_assoc_info (Cursor               *c,
                   HpIeee11073AssocInfo *info)
{
  Cursor system_id;
  gsize system_id_offset;

  if (!hp_ieee11073_read_u32 (c, &info->protocol_version, "protocol version") ||
      !hp_ieee11073_read_u16 (c, &info->encoding_rules, "encoding rules") ||
      !hp_ieee11073_read_u32 (c, &info->nomenclature_version, "nomenclature version") ||
      !hp_ieee11073_read_u32 (c, &info->functional_units, "functional units") ||
      !hp_ieee11073_read_u32 (c, &info->system_type, "system type"))
    return FALSE;

  system_id_offset = c->pos;
  if (!hp_ieee11073_read_window (c, &system_id, "system id"))
    return FALSE;
  if (hp_ieee11073_cursor_left (&system_id) > HP_IEEE11073_SYSTEM_ID_MAX)
    return hp_ieee11073_cursor_fail (c, HP_IEEE11073_ERROR_MALFORMED, system_id_offset,
                                     "system id of %" G_GSIZE_FORMAT " bytes is too long",
                                     hp_ieee11073_cursor_left (&system_id));
  info->system_id_len = hp_ieee11073_cursor_left (&system_id);
  if (info->system_id_len > 0)
    memcpy (info->system_id, system_id.data + system_id.pos, info->system_id_len);

  if (!hp_ieee11073_read_u16 (c, &info->dev_config_id, "dev-config-id") ||
      !hp_ieee11073_read_u16 (c, &info->data_req_mode_flags, "data-req-mode flags") ||
      !hp_ieee11073_read_u8 (c, &info->data_req_init_agent_count, "data-req-init agent count") ||
      !hp_ieee11073_read_u8 (c, &info->data_req_init_manager_count, "data-req-init manager count"))
    return FALSE;

  return decode_attribute_list (c, "option list") && hp_ieee11073_expect_consumed (c, "association information");
}

static gboolean
decode_aarq (Cursor          *c,
             HpIeee11073Aarq *aarq)
{
  Cursor protos;
  guint16 count;

  if (!hp_ieee11073_read_u32 (c, &aarq->assoc_version, "association version") ||
      !hp_ieee11073_read_list_header (c, &count, &protos, "data-proto-list"))
    return FALSE;

  for (guint i = 0; i < count; i++)
    {
      guint16 proto_id;
      Cursor info;

      if (!hp_ieee11073_read_u16 (&protos, &proto_id, "data-proto-id") ||
          !hp_ieee11073_read_window (&protos, &info, "data-proto-info"))
        return FALSE;
      if (proto_id == HP_IEEE11073_DATA_PROTO_ID_20601 && !aarq->has_20601)
        {
          if (!decode_assoc_info (&info, &aarq->info))
            return FALSE;
          aarq->has_20601 = TRUE;
        }
    }
  return hp_ieee11073_expect_consumed (&protos, "data-proto-list") && hp_ieee11073_expect_consumed (c, "AARQ");
}

static gboolean
decode_aare (Cursor          *c,
             HpIeee11073Aare *aare)
{
  Cursor info;

  if (!hp_ieee11073_read_u16 (c, &aare->result, "association result") ||
      !hp_ieee11073_read_u16 (c, &aare->data_proto_id, "data-proto-id") ||
      !hp_ieee11073_read_window (c, &info, "data-proto-info"))
    return FALSE;
  if (aare->data_proto_id == HP_IEEE11073_DATA_PROTO_ID_20601 &&
      !decode_assoc_info (&info, &aare->info))
    return FALSE;
  return hp_ieee11073_expect_consumed (c, "AARE");
}

static gboolean
decode_data_apdu (Cursor              *c,
                  HpIeee11073DataApdu *prst)
{
  Cursor data, args;

  if (!hp_ieee11073_read_window (c, &data, "PRST octet string") || !hp_ieee11073_expect_consumed (c, "PRST"))
    return FALSE;
  if (!hp_ieee11073_read_u16 (&data, &prst->invoke_id, "invoke id") ||
      !hp_ieee11073_read_u16 (&data, &prst->choice, "data APDU choice") ||
      !hp_ieee11073_read_window (&data, &args, "data APDU choice length") ||
      !hp_ieee11073_expect_consumed (&data, "data APDU"))
    return FALSE;

  prst->args = args.data + args.pos;
  prst->args_len = hp_ieee11073_cursor_left (&args);
  prst->args_offset = args.pos;

  switch (prst->choice)
    {
    case HP_IEEE11073_ROIV_EVENT_REPORT:
    case HP_IEEE11073_ROIV_CONFIRMED_EVENT_REPORT:
    case HP_IEEE11073_RORS_CONFIRMED_EVENT_REPORT:
      {
        Cursor info;

        if (!hp_ieee11073_read_u16 (&args, &prst->obj_handle, "object handle") ||
            !hp_ieee11073_read_u32 (&args, &prst->event_time, "event time") ||
            !hp_ieee11073_read_u16 (&args, &prst->event_type, "event type") ||
            !hp_ieee11073_read_window (&args, &info, "event info") ||
            !hp_ieee11073_expect_consumed (&args, "event report"))
          return FALSE;
        prst->is_event_report = TRUE;
        prst->event_info = info.data + info.pos;
        prst->event_info_len = hp_ieee11073_cursor_left (&info);
        prst->event_info_offset = info.pos;
      }
      break;
    default:
      /* Other invocations (GET, SET, ACTION, errors, rejects) keep their body
       * undecoded; the state machine decides whether it cares. */
      break;
    }
  return TRUE;
}

gboolean
hp_ieee11073_decode_apdu (const guint8     *data,
                          gsize             len,
                          HpIeee11073Apdu  *apdu,
                          gsize            *error_offset,
                          GError          **error)
{
  Cursor c = { data, 0, len, error_offset, error };
  Cursor body;
  guint16 tag;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (apdu != NULL, FALSE);

  memset (apdu, 0, sizeof *apdu);

  if (!hp_ieee11073_read_u16 (&c, &tag, "APDU tag") || !hp_ieee11073_read_window (&c, &body, "APDU length"))
    return FALSE;
  apdu->total_len = c.pos;

  switch (tag)
    {
    case HP_IEEE11073_APDU_AARQ:
      apdu->type = HP_IEEE11073_APDU_AARQ;
      return decode_aarq (&body, &apdu->u.aarq);
    case HP_IEEE11073_APDU_AARE:
      apdu->type = HP_IEEE11073_APDU_AARE;
      return decode_aare (&body, &apdu->u.aare);
    case HP_IEEE11073_APDU_RLRQ:
    case HP_IEEE11073_APDU_RLRE:
      apdu->type = (HpIeee11073ApduType) tag;
      return hp_ieee11073_read_u16 (&body, &apdu->u.release_reason, "release reason") &&
             hp_ieee11073_expect_consumed (&body, "release");
    case HP_IEEE11073_APDU_ABRT:
      apdu->type = HP_IEEE11073_APDU_ABRT;
      return hp_ieee11073_read_u16 (&body, &apdu->u.abort_reason, "abort reason") &&
             hp_ieee11073_expect_consumed (&body, "ABRT");
    case HP_IEEE11073_APDU_PRST:
      apdu->type = HP_IEEE11073_APDU_PRST;
      return decode_data_apdu (&body, &apdu->u.prst);
    default:
      return hp_ieee11073_cursor_fail (&c, HP_IEEE11073_ERROR_UNSUPPORTED, 0, "unknown APDU tag 0x%04x", tag);
    }
}

/* ---- encoding --------------------------------------------------------- */

/* Fixed part of PhdAssociationInformation without the system id bytes:
 * versions, encoding, units, type, id length, config, req-mode, option list. */
#define ASSOC_INFO_FIXED_LEN 30

static void
put_assoc_info (GByteArray   *out,
                guint32       system_type,
                const guint8 *system_id,
                gsize         system_id_len,
                guint16       dev_config_id,
                guint16       data_req_mode_flags,
                guint8        init_agent_count)
{
  hp_ieee11073_put_u32 (out, HP_IEEE11073_PROTOCOL_VERSION1);
  hp_ieee11073_put_u16 (out, HP_IEEE11073_ENCODING_MDER);
  hp_ieee11073_put_u32 (out, HP_IEEE11073_NOM_VERSION1);
  hp_ieee11073_put_u32 (out, 0); /* functional units */
  hp_ieee11073_put_u32 (out, system_type);
  hp_ieee11073_put_u16 (out, (guint16) system_id_len);
  g_byte_array_append (out, system_id, (guint) system_id_len);
  hp_ieee11073_put_u16 (out, dev_config_id);
  hp_ieee11073_put_u16 (out, data_req_mode_flags);
  hp_ieee11073_put_u8 (out, init_agent_count);
  hp_ieee11073_put_u8 (out, 0); /* data-req-init manager count */
  hp_ieee11073_put_u16 (out, 0); /* option list: count */
  hp_ieee11073_put_u16 (out, 0); /* option list: length */
}

void
hp_ieee11073_encode_aarq (GByteArray   *out,
                          const guint8 *system_id,
                          gsize         system_id_len,
                          guint16       dev_config_id)
{
  gsize info_len = ASSOC_INFO_FIXED_LEN + system_id_len;

  g_return_if_fail (out != NULL);
  g_return_if_fail (system_id != NULL && system_id_len <= HP_IEEE11073_SYSTEM_ID_MAX);

  hp_ieee11073_put_u16 (out, HP_IEEE11073_APDU_AARQ);
  hp_ieee11073_put_u16 (out, (guint16) (4 + 4 + 4 + info_len));
  hp_ieee11073_put_u32 (out, HP_IEEE11073_ASSOC_VERSION1);
  hp_ieee11073_put_u16 (out, 1); /* data-proto-list: count */
  hp_ieee11073_put_u16 (out, (guint16) (4 + info_len));
  hp_ieee11073_put_u16 (out, HP_IEEE11073_DATA_PROTO_ID_20601);
  hp_ieee11073_put_u16 (out, (guint16) info_len);
  /* data-req-supp-init-agent: the agent starts sending on its own. */
  put_assoc_info (out, HP_IEEE11073_SYS_TYPE_AGENT, system_id, system_id_len,
                  dev_config_id, 0x0001, 1);
}

void
hp_ieee11073_encode_aare (GByteArray   *out,
                          guint16       result,
                          const guint8 *system_id,
                          gsize         system_id_len)
{
  gboolean accepted = result == HP_IEEE11073_ASSOC_ACCEPTED ||
                      result == HP_IEEE11073_ASSOC_ACCEPTED_UNKNOWN_CONFIG;
  gsize info_len = ASSOC_INFO_FIXED_LEN + system_id_len;

  g_return_if_fail (out != NULL);
  g_return_if_fail (system_id != NULL && system_id_len <= HP_IEEE11073_SYSTEM_ID_MAX);

  hp_ieee11073_put_u16 (out, HP_IEEE11073_APDU_AARE);
  if (!accepted)
    {
      /* A rejection selects no protocol. */
      hp_ieee11073_put_u16 (out, 6);
      hp_ieee11073_put_u16 (out, result);
      hp_ieee11073_put_u16 (out, 0);
      hp_ieee11073_put_u16 (out, 0);
      return;
    }
  hp_ieee11073_put_u16 (out, (guint16) (2 + 2 + 2 + info_len));
  hp_ieee11073_put_u16 (out, result);
  hp_ieee11073_put_u16 (out, HP_IEEE11073_DATA_PROTO_ID_20601);
  hp_ieee11073_put_u16 (out, (guint16) info_len);
  put_assoc_info (out, HP_IEEE11073_SYS_TYPE_MANAGER, system_id, system_id_len, 0, 0, 0);
}

static void
encode_reason (GByteArray *out,
               guint16     tag,
               guint16     reason)
{
  g_return_if_fail (out != NULL);
  hp_ieee11073_put_u16 (out, tag);
  hp_ieee11073_put_u16 (out, 2);
  hp_ieee11073_put_u16 (out, reason);
}

void
hp_ieee11073_encode_rlrq (GByteArray *out,
                          guint16     reason)
{
  encode_reason (out, HP_IEEE11073_APDU_RLRQ, reason);
}

void
hp_ieee11073_encode_rlre (GByteArray *out,
                          guint16     reason)
{
  encode_reason (out, HP_IEEE11073_APDU_RLRE, reason);
}

void
hp_ieee11073_encode_abrt (GByteArray *out,
                          guint16     reason)
{
  encode_reason (out, HP_IEEE11073_APDU_ABRT, reason);
}

/* PRST header, data APDU header and the simple event report fields; @info_len
 * bytes of event info must follow. */
void
hp_ieee11073_put_event_report_header (GByteArray *out,
                                      guint16     invoke_id,
                                      guint16     choice,
                                      guint16     obj_handle,
                                      guint32     time,
                                      guint16     event_type,
                                      gsize       info_len)
{
  gsize args_len = 2 + 4 + 2 + 2 + info_len;
  gsize data_len = 2 + 2 + 2 + args_len;

  hp_ieee11073_put_u16 (out, HP_IEEE11073_APDU_PRST);
  hp_ieee11073_put_u16 (out, (guint16) (2 + data_len));
  hp_ieee11073_put_u16 (out, (guint16) data_len);
  hp_ieee11073_put_u16 (out, invoke_id);
  hp_ieee11073_put_u16 (out, choice);
  hp_ieee11073_put_u16 (out, (guint16) args_len);
  hp_ieee11073_put_u16 (out, obj_handle);
  hp_ieee11073_put_u32 (out, time);
  hp_ieee11073_put_u16 (out, event_type);
  hp_ieee11073_put_u16 (out, (guint16) info_len);
}

void
hp_ieee11073_encode_event_report_response (GByteArray *out,
                                           guint16     invoke_id,
                                           guint16     obj_handle,
                                           guint32     current_time,
                                           guint16     event_type)
{
  g_return_if_fail (out != NULL);
  hp_ieee11073_put_event_report_header (out, invoke_id, HP_IEEE11073_RORS_CONFIRMED_EVENT_REPORT,
                                        obj_handle, current_time, event_type, 0);
}

char *
hp_ieee11073_system_id_to_string (const guint8 *system_id,
                                  gsize         system_id_len)
{
  GString *str = g_string_sized_new (system_id_len * 2);

  g_return_val_if_fail (system_id != NULL || system_id_len == 0, NULL);

  for (gsize i = 0; i < system_id_len; i++)
    g_string_append_printf (str, "%02x", system_id[i]);
  return g_string_free (str, FALSE);
}

void
hp_ieee11073_begin_event_report (GByteArray         *out,
                                 guint16             invoke_id,
                                 guint16             choice,
                                 guint32             event_time,
                                 guint16             event_type,
                                 EventReportLengths *lengths)
{
  hp_ieee11073_put_u16 (out, HP_IEEE11073_APDU_PRST);
  lengths->apdu_at = hp_ieee11073_begin_length (out);
  lengths->octets_at = hp_ieee11073_begin_length (out);
  hp_ieee11073_put_u16 (out, invoke_id);
  hp_ieee11073_put_u16 (out, choice);
  lengths->args_at = hp_ieee11073_begin_length (out);
  hp_ieee11073_put_u16 (out, 0); /* the MDS */
  hp_ieee11073_put_u32 (out, event_time);
  hp_ieee11073_put_u16 (out, event_type);
  lengths->info_at = hp_ieee11073_begin_length (out);
}

void
hp_ieee11073_finish_event_report (GByteArray               *out,
                                  const EventReportLengths *lengths)
{
  hp_ieee11073_end_length (out, lengths->info_at);
  hp_ieee11073_end_length (out, lengths->args_at);
  hp_ieee11073_end_length (out, lengths->octets_at);
  hp_ieee11073_end_length (out, lengths->apdu_at);
}

void
hp_ieee11073_encode_aarq_full (GByteArray   *out,
                               guint32       assoc_version,
                               guint16       protocol_id,
                               guint16       encoding_rules,
                               const guint8 *system_id,
                               gsize         system_id_len,
                               guint16       dev_config_id)
{
  guint apdu_at, list_at, info_at;

  g_return_if_fail (out != NULL);
  g_return_if_fail (system_id != NULL && system_id_len <= HP_IEEE11073_SYSTEM_ID_MAX);

  hp_ieee11073_put_u16 (out, HP_IEEE11073_APDU_AARQ);
  apdu_at = hp_ieee11073_begin_length (out);
  hp_ieee11073_put_u32 (out, assoc_version);
  hp_ieee11073_put_u16 (out, 1); /* data-proto-list: count */
  list_at = hp_ieee11073_begin_length (out);
  hp_ieee11073_put_u16 (out, protocol_id);
  info_at = hp_ieee11073_begin_length (out);
  hp_ieee11073_put_u32 (out, HP_IEEE11073_PROTOCOL_VERSION1);
  hp_ieee11073_put_u16 (out, encoding_rules);
  hp_ieee11073_put_u32 (out, HP_IEEE11073_NOM_VERSION1);
  hp_ieee11073_put_u32 (out, 0);
  hp_ieee11073_put_u32 (out, HP_IEEE11073_SYS_TYPE_AGENT);
  hp_ieee11073_put_u16 (out, (guint16) system_id_len);
  g_byte_array_append (out, system_id, (guint) system_id_len);
  hp_ieee11073_put_u16 (out, dev_config_id);
  hp_ieee11073_put_u16 (out, 0x0001);
  hp_ieee11073_put_u8 (out, 1);
  hp_ieee11073_put_u8 (out, 0);
  hp_ieee11073_put_u16 (out, 0);
  hp_ieee11073_put_u16 (out, 0);
  hp_ieee11073_end_length (out, info_at);
  hp_ieee11073_end_length (out, list_at);
  hp_ieee11073_end_length (out, apdu_at);
}
