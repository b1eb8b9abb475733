export { DeploymentController, type DeploymentControllerOptions } from './deployment-controller.js';
export { addDeploymentController } from './register.js';
