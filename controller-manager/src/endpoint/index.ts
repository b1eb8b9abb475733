export {
  EndpointsController,
  HEADLESS_LABEL,
  type EndpointsControllerOptions,
} from './endpoints-controller.js';
export { addEndpointsController } from './register.js';
export { desiredSubsets } from './subsets.js';
