// Public entry of @skiff/docs. Architecture, one page per component, the controller tutorial and course exercises.
// Filled by a later issue; kept so the package builds and its place in the layout is visible.
export {};
