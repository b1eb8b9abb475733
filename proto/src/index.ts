// Public entry of @skiff/proto. The CRI v1 protobuf definitions (runtime.v1) and their TypeScript types.
// Filled by a later issue; kept so the package builds and its place in the layout is visible.
export {};
