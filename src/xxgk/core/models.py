"""No models: the module exists so that `migrate` sends this app its post_migrate signal
(Django skips apps without one), on which the planner statistics are refreshed
(``apps.CoreConfig``)."""
