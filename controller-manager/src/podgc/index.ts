export {
  GC_CHECK_PERIOD_MS,
  PodGCController,
  QUARANTINE_MS,
  type PodGCControllerOptions,
} from './pod-gc-controller.js';
export { addPodGCController } from './register.js';
