// Registry credentials for image pulls: the keyring and the pod's image pull secrets.
export { DockerConfigError, makeDockerKeyring } from './docker-config.js';
export { imageRepository } from './image-repository.js';
export { DockerKeyring, type RegistryCredential } from './keyring.js';
