// The AWS target; see docs/development.md.
