export {
  defaultOptions,
  knownControllers,
  selectControllers,
  type ControllerManagerOptions,
  type ControllerName,
} from './options.js';
export {
  startControllerManager,
  type ControllerManagerRun,
  type StartOptions,
} from './controller-manager.js';
