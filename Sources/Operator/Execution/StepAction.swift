import Engine

/// The Engine's `Action` (what a driver does after a step), named apart from the controller
/// runtime's `Action` (what a reconcile asks of the work queue): the operator uses both, and
/// `Engine.Action` would name a member of the Engine's `Engine` enum.
typealias StepAction = Action
