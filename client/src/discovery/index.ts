export {
  parseGroupVersion,
  serverResources,
  type APIResource,
  type APIResourceList,
  type ServerResources,
} from './server-resources.js';
export { NoMatchError, RESTMapper, type ResourceMapping } from './rest-mapper.js';
