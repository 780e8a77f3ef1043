// The EngineTesting target; see docs/development.md.
