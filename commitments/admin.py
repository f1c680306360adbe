"""No admin pages of their own yet: commitments are kept through the pages and the API (their
moves need the services); the admin lists them in a later change."""
