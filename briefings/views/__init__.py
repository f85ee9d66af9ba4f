"""The public pages, one module per part of the site: `pages` for briefings and what they refer to,
`encounters` for the official CBP encounter data."""
