// The Reconciler runtime (controller-runtime's idea on client-go's parts): write one reconcile
// method, wire its watches with the builder, run it in a manager.
export {
  isTerminalError,
  requestFromKey,
  requestKey,
  TerminalError,
  type Reconciler,
  type ReconcileFunc,
  type Request,
  type Result,
} from './reconciler.js';
export {
  applyReconcileOutcome,
  type OutcomeHandled,
  type ReconcileOutcome,
  type RequeueTarget,
  type ResultLabel,
} from './result-to-queue.js';
export { Controller, type ControllerOptions, type RunOptions } from './controller.js';
export {
  controllerOf,
  enqueueMapped,
  requestForObject,
  requestsForControllerOwner,
  type MapFunc,
  type OwnerKind,
  type RequestQueue,
} from './handlers.js';
export {
  resolveKind,
  type CustomKind,
  type KindRef,
  type ObjectOf,
  type ResolvedKind,
} from './kinds.js';
export { ControllerBuilder, controllerFor, type ControllerBuilderOptions } from './builder.js';
export {
  DEFAULT_GRACEFUL_SHUTDOWN_TIMEOUT_MS,
  Manager,
  type LeaderElectionOptions,
  type ManagerOptions,
} from './manager.js';
export { signalHandler } from './signal-handler.js';
export {
  serveHttpEndpoints,
  type HttpEndpoints,
  type HttpEndpointsOptions,
} from './http-endpoints.js';
export { ControllerExpectations, DEFAULT_EXPECTATIONS_TTL_MS } from './expectations.js';
export {
  controllerReference,
  hasFinalizer,
  isControlledBy,
  withFinalizer,
  withoutFinalizer,
} from './owner-references.js';
