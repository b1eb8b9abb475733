export {
  CONTROLLER_NAME,
  DEFAULT_MAX_ENDPOINTS_PER_SLICE,
  EndpointSliceController,
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
  type EndpointSliceControllerOptions,
} from './endpoint-slice-controller.js';
export { addEndpointSliceController } from './register.js';
