"""Everything that speaks SQL: schema and migrations, connections, writer, rollups, queries."""
