/* A returning patient's last readings of one measurement, drawn as a line of big dots. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One reading. @second is the diastolic pressure under a systolic @value, or
 * NAN for measurements with one number. */
typedef struct {
  GDateTime *time;
  double     value;
  double     second;
} HpTrendPoint;

#define HP_TYPE_TREND_CHART (hp_trend_chart_get_type ())
G_DECLARE_FINAL_TYPE (HpTrendChart, hp_trend_chart, HP, TREND_CHART, GtkWidget)

/* Readings sit at even steps from left to right, oldest first, in
 * right-to-left languages too. The line takes the widget's CSS colour; the
 * second series is dashed with hollow dots, so colour is never the only
 * difference. The accessible description says the trend in words (see
 * hp_trend_chart_get_summary()).
 *
 * Properties: "max-points" (how many of the latest readings are drawn),
 * "digits" (decimals shown), "unit" (said after values in the summary). */
HpTrendChart *hp_trend_chart_new              (void);

/* Copies @points (in any order); only the latest "max-points" are kept. */
void          hp_trend_chart_set_points       (HpTrendChart       *self,
                                               const HpTrendPoint *points,
                                               guint               n_points);
guint         hp_trend_chart_get_n_points     (HpTrendChart       *self);
/* Forgets every reading: nothing of the patient stays after the visit. */
void          hp_trend_chart_clear            (HpTrendChart       *self);

/* A shaded band behind the line, where @value is normal (e.g. 90 to 120
 * systolic). */
void          hp_trend_chart_set_normal_range (HpTrendChart       *self,
                                               double              low,
                                               double              high);
void          hp_trend_chart_unset_normal_range (HpTrendChart     *self);

void          hp_trend_chart_set_max_points   (HpTrendChart       *self,
                                               guint               max_points);
guint         hp_trend_chart_get_max_points   (HpTrendChart       *self);
void          hp_trend_chart_set_digits       (HpTrendChart       *self,
                                               guint               digits);
guint         hp_trend_chart_get_digits       (HpTrendChart       *self);
void          hp_trend_chart_set_unit         (HpTrendChart       *self,
                                               const char         *unit);
const char   *hp_trend_chart_get_unit         (HpTrendChart       *self);

/* The trend in words, e.g. "5 readings from 3 March to 21 November. Latest
 * 128 mmHg, up from 122 mmHg." — also the widget's accessible description. */
const char   *hp_trend_chart_get_summary      (HpTrendChart       *self);
/* The same as audio guidance says it: "Latest 128 over 82 mmHg". */
const char   *hp_trend_chart_get_spoken_summary (HpTrendChart     *self);

G_END_DECLS
