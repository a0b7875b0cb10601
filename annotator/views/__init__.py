"""HTML views, one module per screen area. Each declares its permission policy."""
