// Public entry of @skiff/client. REST client, informers, workqueue, leader election, event recorder and the Reconciler runtime.
// Filled by a later issue; kept so the package builds and its place in the layout is visible.
export {};
