export { createApiServer, type ApiServer, type ApiServerOptions } from './api-server.js';
export { SERVER_GIT_VERSION } from './version.js';
