"""The public pages, one module per part of the site: `base` for what they share (the published querysets
and the mixins), `pages` for briefings and what they refer to, `figures`, `rewards`, `corrections`, `search`,
`encounters` for the official CBP encounter data, `discovery` for robots.txt, and `health` for /healthz."""
