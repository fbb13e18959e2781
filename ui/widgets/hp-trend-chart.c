/* A returning patient's last readings of one measurement, drawn as a line of big dots. */
#include "hp-trend-chart.h"

#include <glib/gi18n.h>
#include <math.h>
#include <float.h>

#include "hp-local-format.h"

#define DEFAULT_MAX_POINTS 8
#define MAX_DIGITS 3

/* Sizes in pixels, chosen for a finger's-length reading distance. */
#define DOT_RADIUS 10.0
#define LATEST_DOT_RADIUS 15.0
#define LATEST_RING_RADIUS 22.0
#define LINE_WIDTH 4.0
#define LABEL_GAP 8.0
#define LABEL_SPACING 16.0
#define EDGE 8.0

struct _HpTrendChart
{
  GtkWidget parent_instance;

  GArray *points;              /* of HpTrendPoint, oldest first, times owned */
  guint max_points;
  guint digits;
  char *unit;
  gboolean has_range;
  double range_low;
  double range_high;
  char *summary;
  char *spoken_summary;
};

G_DEFINE_FINAL_TYPE (HpTrendChart, hp_trend_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MAX_POINTS,
  PROP_DIGITS,
  PROP_UNIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
point_clear (gpointer data)
{
  HpTrendPoint *point = data;

  g_clear_pointer (&point->time, g_date_time_unref);
}

static int
point_compare (gconstpointer a,
               gconstpointer b)
{
  const HpTrendPoint *pa = a, *pb = b;

  return g_date_time_compare (pa->time, pb->time);
}

/* The readings drawn: the latest max-points of them. */
static guint
first_shown (HpTrendChart *self)
{
  return self->points->len > self->max_points ? self->points->len - self->max_points : 0;
}

static const HpTrendPoint *
shown_point (HpTrendChart *self,
             guint         i)
{
  return &g_array_index (self->points, HpTrendPoint, first_shown (self) + i);
}

static guint
n_shown (HpTrendChart *self)
{
  return self->points->len - first_shown (self);
}

static gboolean
has_second (HpTrendChart *self)
{
  for (guint i = 0; i < n_shown (self); i++)
    if (isfinite (shown_point (self, i)->second))
      return TRUE;
  return FALSE;
}

static char *
format_number (HpTrendChart *self,
               double        value)
{
  return hp_local_format_decimal (value, self->digits);
}

/* "128/82" or "72.4" ("72,4" in French): what is written beside a dot.
 * Read aloud a pair is "128 over 82", as people say it. */
static char *
format_reading (HpTrendChart       *self,
                const HpTrendPoint *point,
                gboolean            spoken)
{
  g_autofree char *value = format_number (self, point->value);

  if (isfinite (point->second))
    {
      g_autofree char *second = format_number (self, point->second);

      if (spoken)
        /* TRANSLATORS: a blood pressure read aloud, systolic then
         * diastolic, as in "131 over 84" */
        return g_strdup_printf (_("%s over %s"), value, second);
      return g_strdup_printf ("%s/%s", value, second);
    }
  return g_steal_pointer (&value);
}

static char *
format_reading_with_unit (HpTrendChart       *self,
                          const HpTrendPoint *point,
                          gboolean            spoken)
{
  g_autofree char *reading = format_reading (self, point, spoken);

  if (self->unit == NULL || self->unit[0] == '\0')
    return g_steal_pointer (&reading);
  /* TRANSLATORS: a reading and its unit, e.g. "128/82 mmHg" */
  return g_strdup_printf (C_("reading with unit", "%s %s"), reading, self->unit);
}

/* @value as it is written beside its dot: rounded as printf rounds. */
static double
shown_value (HpTrendChart *self,
             double        value)
{
  char format[16];
  char text[DBL_MAX_10_EXP + 2 * MAX_DIGITS + 8];

  g_snprintf (format, sizeof format, "%%.%uf", self->digits);
  return g_ascii_strtod (g_ascii_formatd (text, sizeof text, format, value), NULL);
}

/* Compares what the patient sees, so that 72.43 and 72.41 are "the same",
 * and so are two readings whose labels are alike after rounding. */
static int
compare_shown (HpTrendChart *self,
               double        a,
               double        b)
{
  double ra = shown_value (self, a), rb = shown_value (self, b);

  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

/* The trend in a sentence, with its readings as written or as spoken. */
static char *
describe (HpTrendChart *self,
          gboolean      spoken)
{
  guint n = n_shown (self);

  if (n == 0)
    return g_strdup (_("No earlier readings."));
  else if (n == 1)
    {
      const HpTrendPoint *only = shown_point (self, 0);
      g_autofree char *date = hp_local_format_date (only->time, HP_DATE_FORM_DAY_MONTH_YEAR);
      g_autofree char *reading = format_reading_with_unit (self, only, spoken);

      /* TRANSLATORS: the date, then the reading with its unit */
      return g_strdup_printf (_("One reading, on %s: %s."), date, reading);
    }
  else
    {
      const HpTrendPoint *first = shown_point (self, 0);
      const HpTrendPoint *previous = shown_point (self, n - 2);
      const HpTrendPoint *latest = shown_point (self, n - 1);
      g_autoptr(GDateTime) first_local = g_date_time_to_local (first->time);
      g_autoptr(GDateTime) latest_local = g_date_time_to_local (latest->time);
      /* The years as the dates are written: in the kiosk's time zone. */
      gboolean same_year = first_local != NULL && latest_local != NULL &&
                           g_date_time_get_year (first_local) == g_date_time_get_year (latest_local);
      HpDateForm form = same_year ? HP_DATE_FORM_DAY_MONTH : HP_DATE_FORM_DAY_MONTH_YEAR;
      g_autofree char *from = hp_local_format_date (first->time, form);
      g_autofree char *to = hp_local_format_date (latest->time, form);
      g_autofree char *latest_text = format_reading_with_unit (self, latest, spoken);
      g_autofree char *previous_text = format_reading_with_unit (self, previous, spoken);
      g_autofree char *span = NULL;
      g_autofree char *change = NULL;
      int direction = compare_shown (self, latest->value, previous->value);

      if (g_strcmp0 (from, to) == 0)
        /* TRANSLATORS: how many readings, all taken on the one date given */
        span = g_strdup_printf (ngettext ("%u reading on %s.", "%u readings on %s.", n), n, to);
      else
        /* TRANSLATORS: how many readings, the first date and the last date */
        span = g_strdup_printf (ngettext ("%u reading from %s to %s.", "%u readings from %s to %s.", n),
                                n, from, to);
      if (direction > 0)
        /* TRANSLATORS: the latest reading, then the one before it */
        change = g_strdup_printf (_("Latest %s, up from %s."), latest_text, previous_text);
      else if (direction < 0)
        /* TRANSLATORS: the latest reading, then the one before it */
        change = g_strdup_printf (_("Latest %s, down from %s."), latest_text, previous_text);
      else
        /* TRANSLATORS: the latest reading */
        change = g_strdup_printf (_("Latest %s, the same as the time before."), latest_text);
      return g_strconcat (span, " ", change, NULL);
    }
}

static void
update_summary (HpTrendChart *self)
{
  g_free (self->summary);
  self->summary = describe (self, FALSE);
  g_free (self->spoken_summary);
  self->spoken_summary = describe (self, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->spoken_summary,
                                  -1);
}

static void
changed (HpTrendChart *self)
{
  update_summary (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static PangoLayout *
label_new (GtkWidget  *widget,
           const char *text,
           gboolean    emphasised)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);

  if (emphasised)
    {
      PangoContext *context = gtk_widget_get_pango_context (widget);
      g_autoptr(PangoFontDescription) font =
        pango_font_description_copy (pango_context_get_font_description (context));

      pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
      if (pango_font_description_get_size (font) > 0)
        {
          int size = pango_font_description_get_size (font) * 5 / 4;

          if (pango_font_description_get_size_is_absolute (font))
            pango_font_description_set_absolute_size (font, size);
          else
            pango_font_description_set_size (font, size);
        }
      pango_layout_set_font_description (layout, font);
    }
  return layout;
}

static void
label_size (PangoLayout *layout,
            double      *width,
            double      *height)
{
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  *width = w;
  *height = h;
}

/* Draws @layout centred on @x with its top at @y. */
static void
draw_label (cairo_t     *cr,
            PangoLayout *layout,
            double       x,
            double       y)
{
  double width, height;

  label_size (layout, &width, &height);
  cairo_move_to (cr, x - width / 2, y);
  pango_cairo_show_layout (cr, layout);
}

static double
line_height (GtkWidget *widget,
             gboolean   emphasised)
{
  g_autoptr(PangoLayout) layout = label_new (widget, "0", emphasised);
  double width, height;

  label_size (layout, &width, &height);
  return height;
}

static void
draw_dot (cairo_t  *cr,
          double    x,
          double    y,
          double    radius,
          gboolean  hollow)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x, y, radius, 0, 2 * G_PI);
  if (hollow)
    {
      /* A light centre keeps hollow dots readable on the shaded band. */
      cairo_save (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      cairo_restore (cr);
      cairo_set_line_width (cr, LINE_WIDTH);
      cairo_stroke (cr);
    }
  else
    cairo_fill (cr);
}

typedef struct {
  double left, right, top, bottom;
  double low, high;
} Frame;

static double
frame_y (const Frame *frame,
         double       value)
{
  return frame->bottom - (value - frame->low) / (frame->high - frame->low) * (frame->bottom - frame->top);
}

static double
frame_x (const Frame *frame,
         guint        i,
         guint        n)
{
  if (n < 2)
    return (frame->left + frame->right) / 2;
  return frame->left + (frame->right - frame->left) * i / (n - 1);
}

/* Labels are placed from the latest (always shown) back to the oldest; one
 * that would touch the label to its right is left out. */
static void
draw_row_of_labels (HpTrendChart *self,
                    cairo_t      *cr,
                    const Frame  *frame,
                    guint         n,
                    int           which,  /* 0: values, 1: second values, 2: dates */
                    double        date_top)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double free_right = G_MAXDOUBLE;

  for (guint k = n; k-- > 0;)
    {
      const HpTrendPoint *point = shown_point (self, k);
      gboolean latest = k == n - 1;
      g_autofree char *text = NULL;
      g_autoptr(PangoLayout) layout = NULL;
      double x = frame_x (frame, k, n), y, width, height;

      if (which == 2)
        text = hp_local_format_date (point->time, HP_DATE_FORM_SHORT);
      else
        text = format_number (self, which == 0 ? point->value : point->second);
      if (text == NULL)
        continue;
      layout = label_new (widget, text, latest);
      label_size (layout, &width, &height);
      if (x + width / 2 + LABEL_SPACING > free_right)
        continue;

      if (which == 2)
        y = date_top;
      else if (which == 0)
        y = frame_y (frame, point->value) - (latest ? LATEST_RING_RADIUS : DOT_RADIUS) - LABEL_GAP - height;
      else
        y = frame_y (frame, point->second) + (latest ? LATEST_RING_RADIUS : DOT_RADIUS) + LABEL_GAP;
      draw_label (cr, layout, x, y);
      free_right = x - width / 2;
    }
}

static void
draw_series (HpTrendChart *self,
             cairo_t      *cr,
             const Frame  *frame,
             guint         n,
             gboolean      second)
{
  static const double dashes[] = { 14.0, 10.0 };

  cairo_save (cr);
  cairo_set_line_width (cr, LINE_WIDTH);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (second)
    cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  for (guint k = 0; k < n; k++)
    {
      const HpTrendPoint *point = shown_point (self, k);
      double x = frame_x (frame, k, n);
      double y = frame_y (frame, second ? point->second : point->value);

      if (k == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
  cairo_restore (cr);

  for (guint k = 0; k < n; k++)
    {
      const HpTrendPoint *point = shown_point (self, k);
      double x = frame_x (frame, k, n);
      double y = frame_y (frame, second ? point->second : point->value);

      if (k == n - 1)
        {
          /* The latest reading: a bigger dot in a ring. */
          draw_dot (cr, x, y, LATEST_DOT_RADIUS, second);
          cairo_set_line_width (cr, LINE_WIDTH / 2);
          cairo_arc (cr, x, y, LATEST_RING_RADIUS, 0, 2 * G_PI);
          cairo_stroke (cr);
        }
      else
        draw_dot (cr, x, y, DOT_RADIUS, second);
    }
}

static void
hp_trend_chart_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  HpTrendChart *self = HP_TREND_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  guint n = n_shown (self);
  gboolean two = has_second (self);
  double text_height = line_height (widget, FALSE);
  double big_height = line_height (widget, TRUE);
  double margin = 0, date_top, pad;
  Frame frame;
  GdkRGBA color;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_cairo_set_source_rgba (cr, &color);

  if (n == 0)
    {
      g_autoptr(PangoLayout) layout = label_new (widget, _("No earlier readings."), FALSE);

      draw_label (cr, layout, width / 2, (height - text_height) / 2);
      cairo_destroy (cr);
      return;
    }

  /* Half the widest label on each side, so the oldest and latest fit. */
  for (guint k = 0; k < n; k++)
    {
      const HpTrendPoint *point = shown_point (self, k);
      g_autofree char *value = format_number (self, point->value);
      g_autofree char *date = hp_local_format_date (point->time, HP_DATE_FORM_SHORT);
      g_autoptr(PangoLayout) value_layout = label_new (widget, value, TRUE);
      g_autoptr(PangoLayout) date_layout = label_new (widget, date != NULL ? date : "", TRUE);
      double w, h;

      label_size (value_layout, &w, &h);
      margin = MAX (margin, w / 2);
      label_size (date_layout, &w, &h);
      margin = MAX (margin, w / 2);
    }
  margin = MAX (margin, LATEST_RING_RADIUS) + EDGE;

  /* Time runs left to right in right-to-left languages too: charts there
   * are read that way, so the axis is never mirrored. */
  date_top = height - big_height - EDGE;
  pad = LATEST_RING_RADIUS + LABEL_GAP;
  frame.left = margin;
  frame.right = MAX (width - margin, margin);
  frame.top = EDGE + big_height + pad;
  frame.bottom = date_top - LABEL_GAP - (two ? big_height + pad : pad);
  if (frame.bottom <= frame.top)
    frame.bottom = frame.top + 1;

  frame.low = G_MAXDOUBLE;
  frame.high = -G_MAXDOUBLE;
  for (guint k = 0; k < n; k++)
    {
      const HpTrendPoint *point = shown_point (self, k);

      frame.low = MIN (frame.low, point->value);
      frame.high = MAX (frame.high, point->value);
      if (isfinite (point->second))
        {
          frame.low = MIN (frame.low, point->second);
          frame.high = MAX (frame.high, point->second);
        }
    }
  if (self->has_range)
    {
      frame.low = MIN (frame.low, self->range_low);
      frame.high = MAX (frame.high, self->range_high);
    }
  if (frame.high - frame.low < 1e-6)
    {
      frame.low -= 1;
      frame.high += 1;
    }

  if (self->has_range)
    {
      double top = frame_y (&frame, self->range_high);
      double bottom = frame_y (&frame, self->range_low);

      cairo_save (cr);
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.12);
      cairo_rectangle (cr, 0, top, width, bottom - top);
      cairo_fill (cr);
      cairo_restore (cr);
    }

  /* The time axis, just above the dates. */
  cairo_save (cr);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.5);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, EDGE, date_top - LABEL_GAP / 2);
  cairo_line_to (cr, width - EDGE, date_top - LABEL_GAP / 2);
  cairo_stroke (cr);
  cairo_restore (cr);

  draw_series (self, cr, &frame, n, FALSE);
  if (two)
    draw_series (self, cr, &frame, n, TRUE);

  draw_row_of_labels (self, cr, &frame, n, 0, date_top);
  if (two)
    draw_row_of_labels (self, cr, &frame, n, 1, date_top);
  draw_row_of_labels (self, cr, &frame, n, 2, date_top);

  cairo_destroy (cr);
}

static void
hp_trend_chart_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size G_GNUC_UNUSED,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  double big_height = line_height (widget, TRUE);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 320;
      *natural = 960;
    }
  else
    {
      /* Labels above, below and under the dots, and room for the line;
       * more height only spreads the dots, so the chart asks for no more
       * and takes what its page leaves (it expands). */
      *minimum = (int) ceil (big_height * 5);
      *natural = *minimum;
    }
  *minimum_baseline = -1;
  *natural_baseline = -1;
}

static void
hp_trend_chart_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HpTrendChart *self = HP_TREND_CHART (object);

  switch (prop_id)
    {
    case PROP_MAX_POINTS:
      g_value_set_uint (value, self->max_points);
      break;
    case PROP_DIGITS:
      g_value_set_uint (value, self->digits);
      break;
    case PROP_UNIT:
      g_value_set_string (value, self->unit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_trend_chart_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HpTrendChart *self = HP_TREND_CHART (object);

  switch (prop_id)
    {
    case PROP_MAX_POINTS:
      hp_trend_chart_set_max_points (self, g_value_get_uint (value));
      break;
    case PROP_DIGITS:
      hp_trend_chart_set_digits (self, g_value_get_uint (value));
      break;
    case PROP_UNIT:
      hp_trend_chart_set_unit (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_trend_chart_finalize (GObject *object)
{
  HpTrendChart *self = HP_TREND_CHART (object);

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->unit, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->spoken_summary, g_free);

  G_OBJECT_CLASS (hp_trend_chart_parent_class)->finalize (object);
}

static void
hp_trend_chart_class_init (HpTrendChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hp_trend_chart_get_property;
  object_class->set_property = hp_trend_chart_set_property;
  object_class->finalize = hp_trend_chart_finalize;
  widget_class->snapshot = hp_trend_chart_snapshot;
  widget_class->measure = hp_trend_chart_measure;

  properties[PROP_MAX_POINTS] =
    g_param_spec_uint ("max-points", NULL, NULL, 1, 64, DEFAULT_MAX_POINTS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIGITS] =
    g_param_spec_uint ("digits", NULL, NULL, 0, MAX_DIGITS, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNIT] =
    g_param_spec_string ("unit", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "trendchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hp_trend_chart_init (HpTrendChart *self)
{
  self->points = g_array_new (FALSE, TRUE, sizeof (HpTrendPoint));
  g_array_set_clear_func (self->points, point_clear);
  self->max_points = DEFAULT_MAX_POINTS;

  /* TRANSLATORS: what screen readers call the chart of earlier readings */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Your earlier readings"),
                                  -1);
  update_summary (self);
}

HpTrendChart *
hp_trend_chart_new (void)
{
  return g_object_new (HP_TYPE_TREND_CHART, NULL);
}

void
hp_trend_chart_set_points (HpTrendChart       *self,
                           const HpTrendPoint *points,
                           guint               n_points)
{
  g_return_if_fail (HP_IS_TREND_CHART (self));
  g_return_if_fail (points != NULL || n_points == 0);

  for (guint i = 0; i < n_points; i++)
    g_return_if_fail (points[i].time != NULL);

  g_array_set_size (self->points, 0);
  for (guint i = 0; i < n_points; i++)
    {
      HpTrendPoint copy = points[i];

      /* A reading without a number has nothing to draw. */
      if (!isfinite (copy.value))
        continue;
      copy.time = g_date_time_ref (copy.time);
      if (!isfinite (copy.second))
        copy.second = NAN;
      g_array_append_val (self->points, copy);
    }
  g_array_sort (self->points, point_compare);
  changed (self);
}

guint
hp_trend_chart_get_n_points (HpTrendChart *self)
{
  g_return_val_if_fail (HP_IS_TREND_CHART (self), 0);

  return n_shown (self);
}

void
hp_trend_chart_clear (HpTrendChart *self)
{
  g_return_if_fail (HP_IS_TREND_CHART (self));

  g_array_set_size (self->points, 0);
  hp_trend_chart_unset_normal_range (self);
  changed (self);
}

void
hp_trend_chart_set_normal_range (HpTrendChart *self,
                                 double        low,
                                 double        high)
{
  g_return_if_fail (HP_IS_TREND_CHART (self));
  g_return_if_fail (isfinite (low) && isfinite (high) && low <= high);

  self->has_range = TRUE;
  self->range_low = low;
  self->range_high = high;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
hp_trend_chart_unset_normal_range (HpTrendChart *self)
{
  g_return_if_fail (HP_IS_TREND_CHART (self));

  self->has_range = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
hp_trend_chart_set_max_points (HpTrendChart *self,
                               guint         max_points)
{
  g_return_if_fail (HP_IS_TREND_CHART (self));
  g_return_if_fail (max_points >= 1 && max_points <= 64);

  if (self->max_points == max_points)
    return;
  self->max_points = max_points;
  changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_POINTS]);
}

guint
hp_trend_chart_get_max_points (HpTrendChart *self)
{
  g_return_val_if_fail (HP_IS_TREND_CHART (self), 0);

  return self->max_points;
}

void
hp_trend_chart_set_digits (HpTrendChart *self,
                           guint         digits)
{
  g_return_if_fail (HP_IS_TREND_CHART (self));
  g_return_if_fail (digits <= MAX_DIGITS);

  if (self->digits == digits)
    return;
  self->digits = digits;
  changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIGITS]);
}

guint
hp_trend_chart_get_digits (HpTrendChart *self)
{
  g_return_val_if_fail (HP_IS_TREND_CHART (self), 0);

  return self->digits;
}

void
hp_trend_chart_set_unit (HpTrendChart *self,
                         const char   *unit)
{
  g_return_if_fail (HP_IS_TREND_CHART (self));

  if (g_strcmp0 (self->unit, unit) == 0)
    return;
  g_free (self->unit);
  self->unit = g_strdup (unit);
  update_summary (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNIT]);
}

const char *
hp_trend_chart_get_unit (HpTrendChart *self)
{
  g_return_val_if_fail (HP_IS_TREND_CHART (self), NULL);

  return self->unit;
}

const char *
hp_trend_chart_get_summary (HpTrendChart *self)
{
  g_return_val_if_fail (HP_IS_TREND_CHART (self), NULL);

  return self->summary;
}

const char *
hp_trend_chart_get_spoken_summary (HpTrendChart *self)
{
  g_return_val_if_fail (HP_IS_TREND_CHART (self), NULL);

  return self->spoken_summary;
}
