// The HTTP target; see docs/development.md.
