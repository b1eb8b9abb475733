import type { ImageServiceDefinition } from './generated/runtime/v1/ImageService.js';
import type { RuntimeServiceDefinition } from './generated/runtime/v1/RuntimeService.js';
import { loadCri } from './load.js';

// Functions rather than constants so importing the package never reads the proto file; the
// first call parses it (loadCri) and later calls return the same object.

/** runtime.v1.RuntimeService, for grpc.Server#addService with RuntimeServiceHandlers. */
export function runtimeServiceDefinition(): RuntimeServiceDefinition {
  return loadCri().grpcObject.runtime.v1.RuntimeService.service;
}

/** runtime.v1.ImageService, for grpc.Server#addService with ImageServiceHandlers. */
export function imageServiceDefinition(): ImageServiceDefinition {
  return loadCri().grpcObject.runtime.v1.ImageService.service;
}
