// Public entry of @skiff/cli. The `skiff` command: kubectl-like verbs, `skiff up` and the component subcommands.
// Filled by a later issue; kept so the package builds and its place in the layout is visible.
export {};
