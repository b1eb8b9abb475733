// Where the HTTP layer meets protobuf: decoding a request body (400 for bad bytes, 415 for
// custom resources, which Kubernetes serves in JSON only) and writing a protobuf response.
import type { ServerResponse } from 'node:http';
import { ApiError, apiErrors, makeStatus, type KindInfo } from '@skiff/api';
import { ProtobufCodecError } from './codec-error.js';
import { decodeEnveloped, encodeEnveloped } from './envelope.js';
import { PROTOBUF_MEDIA_TYPE } from './media-types.js';
import { typeForKind } from './schema.js';

/** The media types a custom resource's body may be in, as apiextensions-apiserver lists them. */
const customResourceMediaTypes = ['application/json', 'application/yaml'];

/** True when `kind`'s objects have a protobuf encoding (built-in kinds, not custom resources). */
export function servesProtobuf(kind: Pick<KindInfo, 'apiVersion' | 'kind'>): boolean {
  return typeForKind(kind.apiVersion, kind.kind) !== undefined;
}

/**
 * The JSON form of a protobuf request body sent to a resource of `kind`. The body's own kind is
 * whatever its envelope says: the caller checks it against what the URL takes, as for JSON.
 */
export function decodeProtobufBody(body: Buffer, kind: KindInfo): Record<string, unknown> {
  if (!servesProtobuf(kind)) {
    throw new ApiError(
      makeStatus({
        code: 415,
        reason: 'UnsupportedMediaType',
        message: `the body of the request was in an unknown format - accepted media types include: ${customResourceMediaTypes.join(', ')}`,
      }),
    );
  }
  try {
    return decodeEnveloped(body).object;
  } catch (err) {
    if (err instanceof ProtobufCodecError) {
      throw apiErrors.badRequest(`error decoding protobuf body: ${err.message}`);
    }
    throw err;
  }
}

/**
 * Writes `body` in protobuf and returns true; false (nothing written) when its kind has no
 * protobuf encoding or it does not fit its message, so the caller answers in JSON instead.
 */
export function sendProtobuf(res: ServerResponse, code: number, body: unknown): boolean {
  let bytes: Buffer | undefined;
  try {
    bytes = encodeEnveloped(body);
  } catch (err) {
    if (err instanceof ProtobufCodecError) return false;
    throw err;
  }
  if (!bytes) return false;
  res.statusCode = code;
  res.setHeader('Content-Type', PROTOBUF_MEDIA_TYPE);
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
  return true;
}
