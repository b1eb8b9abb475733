// The scheduling framework: extension points, Status, CycleState, NodeInfo, the runner.
export * from './affinity-term.js';
export * from './cluster-event.js';
export * from './cycle-state.js';
export * from './feasible-nodes.js';
export * from './host-ports.js';
export * from './interfaces.js';
export * from './metrics-recorder.js';
export * from './node-info.js';
export * from './pod-index.js';
export * from './resource.js';
export * from './runner.js';
export * from './score-table.js';
export * from './status.js';
export * from './config-error.js';
