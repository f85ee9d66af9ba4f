"""The public pages, one module per part of the site: `mixins` for what they share, `pages` for briefings and
what they refer to, `figures`, `rewards`, `corrections`, `search`, `discovery` for robots.txt and the sitemaps, and
`health` for /healthz. What they read comes from briefings/selectors.py; the encounter pages are in
briefings/encounters/views.py."""
