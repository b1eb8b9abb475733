import * as grpc from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/api.js';
import { criLoaderOptions } from './loader-options.js';
import { criProtoPath } from './proto-file.js';

/** The parsed CRI package: the raw definition (for reflection) and its grpc-js constructors. */
export interface LoadedCri {
  readonly packageDefinition: PackageDefinition;
  readonly grpcObject: ProtoGrpcType;
}

let loaded: LoadedCri | undefined;

/** Parses runtime/v1/api.proto on first use and returns the same result ever after. */
export function loadCri(): LoadedCri {
  if (loaded === undefined) {
    let packageDefinition: PackageDefinition;
    try {
      packageDefinition = loadSync(criProtoPath, criLoaderOptions);
    } catch (err) {
      throw new Error(`loading the CRI proto ${criProtoPath}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    // grpc-js types the result loosely; ProtoGrpcType is generated from the same proto file.
    const grpcObject = grpc.loadPackageDefinition(packageDefinition) as unknown as ProtoGrpcType;
    loaded = { packageDefinition, grpcObject };
  }
  return loaded;
}
