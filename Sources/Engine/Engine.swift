// The Engine target; see docs/development.md.
