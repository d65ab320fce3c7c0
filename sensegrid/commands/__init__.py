"""The `sensegrid` commands, one module per command group or concern; `sensegrid.cli` assembles them."""
