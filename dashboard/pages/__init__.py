"""The dashboard's pages, one module each (imported by Dash's page loader)."""
