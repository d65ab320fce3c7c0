"""Grafana dashboards as code: typed builders, the dashboards, export to files and push over HTTP."""
