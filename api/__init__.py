"""The FastAPI service: devices, readings, domain views, alerts, health and metrics."""
