export {
  parseGroupVersion,
  serverResources,
  type APIResource,
  type APIResourceList,
  type ServerResources,
} from './server-resources.js';
