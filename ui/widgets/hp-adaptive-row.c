/* A row of widgets that becomes two rows where the screen is too narrow for one. */
#include "hp-adaptive-row.h"

struct _HpAdaptiveRow
{
  GtkWidget parent_instance;

  int spacing;
  GtkAlign wrapped_halign;
  gboolean wrapped;
};

G_DEFINE_FINAL_TYPE (HpAdaptiveRow, hp_adaptive_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPACING,
  PROP_WRAPPED_HALIGN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The children taking part in the layout, with their widths: the lead
 * first, when it is shown. */
typedef struct {
  GArray *sizes;
  gboolean has_lead;
  /* The children after the lead, side by side with their spacing. */
  int row_min;
  int row_nat;
} Children;

static void
children_clear (Children *children)
{
  g_clear_pointer (&children->sizes, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Children, children_clear)

static GtkRequestedSize *
size_at (const Children *children,
         guint           i)
{
  return &g_array_index (children->sizes, GtkRequestedSize, i);
}

static guint
first_other (const Children *children)
{
  return children->has_lead ? 1 : 0;
}

static guint
n_others (const Children *children)
{
  return children->sizes->len - first_other (children);
}

/* Widths are measured for @for_height, or -1 for any height. */
static void
collect_children (HpAdaptiveRow *self,
                  int            for_height,
                  Children      *children)
{
  GtkWidget *first = gtk_widget_get_first_child (GTK_WIDGET (self));

  children->sizes = g_array_new (FALSE, TRUE, sizeof (GtkRequestedSize));
  children->has_lead = FALSE;
  children->row_min = children->row_nat = 0;
  for (GtkWidget *child = first; child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkRequestedSize size = { child, 0, 0 };

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, for_height,
                          &size.minimum_size, &size.natural_size, NULL, NULL);
      if (child == first)
        children->has_lead = TRUE;
      else
        {
          int gap = children->sizes->len > first_other (children) ? self->spacing : 0;

          children->row_min += gap + size.minimum_size;
          children->row_nat += gap + size.natural_size;
        }
      g_array_append_val (children->sizes, size);
    }
}

static int
lead_gap (HpAdaptiveRow  *self,
          const Children *children)
{
  return children->has_lead && n_others (children) > 0 ? self->spacing : 0;
}

static int
one_row_min (HpAdaptiveRow  *self,
             const Children *children)
{
  return (children->has_lead ? size_at (children, 0)->minimum_size : 0) +
         lead_gap (self, children) + children->row_min;
}

static int
one_row_nat (HpAdaptiveRow  *self,
             const Children *children)
{
  return (children->has_lead ? size_at (children, 0)->natural_size : 0) +
         lead_gap (self, children) + children->row_nat;
}

/* With nothing to put on a second row there is one row. */
static gboolean
fits_one_row (HpAdaptiveRow  *self,
              const Children *children,
              int             width)
{
  return !children->has_lead || n_others (children) == 0 || width >= one_row_min (self, children);
}

/* Sets each child's minimum_size to the width it gets in @width, and
 * returns where the children after the lead start. In one row, as in a
 * GtkBox, every child grows towards its natural width and the lead takes
 * what is left; on two rows the lead has the whole width. */
static int
share_width (HpAdaptiveRow *self,
             Children      *children,
             int            width,
             gboolean       wrapped)
{
  GtkRequestedSize *others = size_at (children, first_other (children));
  int row_width = 0;

  if (!wrapped)
    {
      int extra = MAX (0, width - one_row_min (self, children));

      extra = gtk_distribute_natural_allocation (extra, children->sizes->len,
                                                 (GtkRequestedSize *) (gpointer) children->sizes->data);
      if (children->has_lead)
        {
          size_at (children, 0)->minimum_size += extra;
          return size_at (children, 0)->minimum_size + lead_gap (self, children);
        }
      /* No lead to take the rest: the others keep to the end. */
      return extra;
    }

  size_at (children, 0)->minimum_size = width;
  if (width > children->row_min)
    gtk_distribute_natural_allocation (width - children->row_min, n_others (children), others);
  for (guint i = 0; i < n_others (children); i++)
    row_width += others[i].minimum_size + (i > 0 ? self->spacing : 0);
  switch (self->wrapped_halign)
    {
    case GTK_ALIGN_CENTER:
      return MAX (0, (width - row_width) / 2);
    case GTK_ALIGN_END:
      return MAX (0, width - row_width);
    case GTK_ALIGN_FILL:
    case GTK_ALIGN_START:
    case GTK_ALIGN_BASELINE:
    default:
      return 0;
    }
}

/* The heights of the children after the lead, each at its width. */
static void
measure_others_height (const Children *children,
                       int            *minimum,
                       int            *natural)
{
  *minimum = *natural = 0;
  for (guint i = first_other (children); i < children->sizes->len; i++)
    {
      int child_min = 0, child_nat = 0;

      gtk_widget_measure (size_at (children, i)->data, GTK_ORIENTATION_VERTICAL,
                          size_at (children, i)->minimum_size, &child_min, &child_nat, NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
    }
}

static void
hp_adaptive_row_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  HpAdaptiveRow *self = HP_ADAPTIVE_ROW (widget);
  g_auto(Children) children = { 0 };
  int others_min = 0, others_nat = 0, lead_min = 0, lead_nat = 0;
  int width;
  gboolean wrapped;

  collect_children (self, -1, &children);
  *minimum_baseline = *natural_baseline = -1;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* At its narrowest it is two rows. */
      *minimum = MAX (children.has_lead ? size_at (&children, 0)->minimum_size : 0, children.row_min);
      if (!children.has_lead || n_others (&children) == 0)
        *minimum = one_row_min (self, &children);
      *natural = MAX (*minimum, one_row_nat (self, &children));
      return;
    }

  width = for_size < 0 ? one_row_nat (self, &children) : for_size;
  wrapped = !fits_one_row (self, &children, width);
  share_width (self, &children, width, wrapped);
  measure_others_height (&children, &others_min, &others_nat);
  if (children.has_lead)
    gtk_widget_measure (size_at (&children, 0)->data, GTK_ORIENTATION_VERTICAL,
                        size_at (&children, 0)->minimum_size, &lead_min, &lead_nat, NULL, NULL);
  if (wrapped)
    {
      *minimum = lead_min + self->spacing + others_min;
      *natural = lead_nat + self->spacing + others_nat;
    }
  else
    {
      *minimum = MAX (lead_min, others_min);
      *natural = MAX (lead_nat, others_nat);
    }
}

static void
place (GtkWidget *child,
       int        x,
       int        y,
       int        width,
       int        height,
       int        row_width,
       gboolean   rtl)
{
  if (rtl)
    x = row_width - x - width;
  gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, width, height }, -1);
}

static void
hp_adaptive_row_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline G_GNUC_UNUSED)
{
  HpAdaptiveRow *self = HP_ADAPTIVE_ROW (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  g_auto(Children) children = { 0 };
  int x, y = 0, others_height = height;

  collect_children (self, -1, &children);
  self->wrapped = !fits_one_row (self, &children, width);
  if (!self->wrapped)
    {
      /* As in a GtkBox, a child that wraps its text may be narrower at the
       * height it is given than at any height. */
      children_clear (&children);
      collect_children (self, height, &children);
    }
  x = share_width (self, &children, width, self->wrapped);

  if (self->wrapped)
    {
      int others_min = 0, others_nat = 0, lead_height = 0;

      measure_others_height (&children, &others_min, &others_nat);
      gtk_widget_measure (size_at (&children, 0)->data, GTK_ORIENTATION_VERTICAL, width,
                          NULL, &lead_height, NULL, NULL);
      lead_height = CLAMP (lead_height, 0, MAX (0, height - self->spacing - others_min));
      place (size_at (&children, 0)->data, 0, 0, width, lead_height, width, rtl);
      y = lead_height + self->spacing;
      others_height = MAX (0, height - y);
    }
  else if (children.has_lead)
    place (size_at (&children, 0)->data, 0, 0, size_at (&children, 0)->minimum_size, height, width, rtl);

  for (guint i = first_other (&children); i < children.sizes->len; i++)
    {
      GtkRequestedSize *size = size_at (&children, i);

      place (size->data, x, y, size->minimum_size, others_height, width, rtl);
      x += size->minimum_size + self->spacing;
    }
}

static GtkSizeRequestMode
hp_adaptive_row_get_request_mode (GtkWidget *widget G_GNUC_UNUSED)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
hp_adaptive_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HpAdaptiveRow *self = HP_ADAPTIVE_ROW (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;
    case PROP_WRAPPED_HALIGN:
      g_value_set_enum (value, self->wrapped_halign);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_adaptive_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HpAdaptiveRow *self = HP_ADAPTIVE_ROW (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      hp_adaptive_row_set_spacing (self, g_value_get_int (value));
      break;
    case PROP_WRAPPED_HALIGN:
      hp_adaptive_row_set_wrapped_halign (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hp_adaptive_row_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hp_adaptive_row_parent_class)->dispose (object);
}

static void
hp_adaptive_row_class_init (HpAdaptiveRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hp_adaptive_row_dispose;
  object_class->get_property = hp_adaptive_row_get_property;
  object_class->set_property = hp_adaptive_row_set_property;
  widget_class->measure = hp_adaptive_row_measure;
  widget_class->size_allocate = hp_adaptive_row_size_allocate;
  widget_class->get_request_mode = hp_adaptive_row_get_request_mode;

  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT16, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WRAPPED_HALIGN] =
    g_param_spec_enum ("wrapped-halign", NULL, NULL, GTK_TYPE_ALIGN, GTK_ALIGN_END,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "adaptiverow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hp_adaptive_row_init (HpAdaptiveRow *self)
{
  self->wrapped_halign = GTK_ALIGN_END;
}

GtkWidget *
hp_adaptive_row_new (void)
{
  return g_object_new (HP_TYPE_ADAPTIVE_ROW, NULL);
}

void
hp_adaptive_row_set_spacing (HpAdaptiveRow *self,
                             int            spacing)
{
  g_return_if_fail (HP_IS_ADAPTIVE_ROW (self));
  g_return_if_fail (spacing >= 0);

  if (self->spacing == spacing)
    return;
  self->spacing = spacing;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPACING]);
}

int
hp_adaptive_row_get_spacing (HpAdaptiveRow *self)
{
  g_return_val_if_fail (HP_IS_ADAPTIVE_ROW (self), 0);
  return self->spacing;
}

void
hp_adaptive_row_set_wrapped_halign (HpAdaptiveRow *self,
                                    GtkAlign       align)
{
  g_return_if_fail (HP_IS_ADAPTIVE_ROW (self));

  if (self->wrapped_halign == align)
    return;
  self->wrapped_halign = align;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRAPPED_HALIGN]);
}

GtkAlign
hp_adaptive_row_get_wrapped_halign (HpAdaptiveRow *self)
{
  g_return_val_if_fail (HP_IS_ADAPTIVE_ROW (self), GTK_ALIGN_END);
  return self->wrapped_halign;
}

gboolean
hp_adaptive_row_get_wrapped (HpAdaptiveRow *self)
{
  g_return_val_if_fail (HP_IS_ADAPTIVE_ROW (self), FALSE);
  return self->wrapped;
}
