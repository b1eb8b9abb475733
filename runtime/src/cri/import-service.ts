// `skiff image import` through a running runtime. CRI has no import RPC (crictl cannot import
// either; containerd users run `ctr images import` against containerd's own API), and the image
// store belongs to the runtime process while it runs: a second process writing images.json
// behind its back would be overwritten. So the runtime serves one skiff-specific method beside
// CRI on the same socket: skiff.runtime.v1.Images/Import, JSON-encoded, taking the path of a
// tarball on this machine (the caller already has root, or could not open the 0660 socket).
import { errorMessage } from '@skiff/api';
import {
  Client,
  Metadata,
  credentials,
  type ServiceDefinition,
  type ServiceError,
  type handleUnaryCall,
} from '@grpc/grpc-js';
import { criAddress } from '@skiff/proto';
import { ImageError, type ImageStore } from '../images/index.js';
import type { RuntimeMetrics } from './metrics.js';
import { serveUnary } from './unary.js';

export interface ImportRequest {
  /** Absolute path of an OCI layout or docker-archive tarball, readable by the runtime. */
  readonly archivePath: string;
}

export interface ImportedImage {
  readonly id: string;
  readonly repoTags: readonly string[];
}

export interface ImportResponse {
  readonly images: readonly ImportedImage[];
}

const IMPORT_PATH = '/skiff.runtime.v1.Images/Import';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const parse = (bytes: Buffer): unknown => JSON.parse(bytes.toString('utf8')) as unknown;

export const importServiceDefinition: ServiceDefinition = {
  Import: {
    path: IMPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: json,
    // Checked in the handler, so a malformed request is INVALID_ARGUMENT rather than INTERNAL.
    requestDeserialize: (bytes: Buffer): unknown => {
      try {
        return parse(bytes);
      } catch (err) {
        return { malformed: errorMessage(err) };
      }
    },
    responseSerialize: json,
    responseDeserialize: parse,
  },
};

function archivePathOf(request: unknown): string {
  const path =
    typeof request === 'object' && request !== null && 'archivePath' in request
      ? request.archivePath
      : undefined;
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new ImageError('InvalidArgument', 'archivePath must be an absolute path');
  }
  return path;
}

export function importServiceHandlers(
  images: ImageStore,
  metrics: RuntimeMetrics,
): { Import: handleUnaryCall<unknown, ImportResponse> } {
  return {
    Import: serveUnary('Import', metrics, async (request: unknown) => ({
      images: (await images.import(archivePathOf(request))).map((info) => ({
        id: info.id,
        repoTags: info.repoTags,
      })),
    })),
  };
}

/** Asks the runtime serving `socket` to import `archivePath`; rejects with its gRPC error. */
export function importThroughRuntime(
  socket: string,
  archivePath: string,
  timeoutMs: number,
): Promise<ImportResponse> {
  const client = new Client(criAddress(socket), credentials.createInsecure());
  const request: ImportRequest = { archivePath };
  return new Promise<ImportResponse>((resolve, reject) => {
    client.makeUnaryRequest(
      IMPORT_PATH,
      json,
      (bytes: Buffer) => parse(bytes) as ImportResponse,
      request,
      new Metadata(),
      { deadline: Date.now() + timeoutMs },
      (err: ServiceError | null, response?: ImportResponse) => {
        client.close();
        if (err !== null) reject(err);
        else if (response === undefined) reject(new Error('Import: empty response'));
        else resolve(response);
      },
    );
  });
}
