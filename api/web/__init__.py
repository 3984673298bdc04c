"""The web pages the API serves: the customer chat widget (`/widget.js`), the demo shop
that embeds it (`/shop`, demo mode only) and the agent side panel (`/agent`). Plain HTML,
CSS and JavaScript under `static/`, shipped as package data; no build step."""
