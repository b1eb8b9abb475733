// Public entry of @skiff/scheduler. Scheduling queue, cache with assumed pods, plugin framework and plugins.
// Filled by a later issue; kept so the package builds and its place in the layout is visible.
export {};
