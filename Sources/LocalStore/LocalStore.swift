// The LocalStore target; see docs/development.md.
