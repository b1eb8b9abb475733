// The JSON documents an image is made of, and checked parsers for them. Registry and archive
// content is untrusted input: a parser either returns a well-formed value or throws an
// ImageError naming the field that is wrong, so later code can index into it without guards.
import { parseDigest, type Digest } from './digest.js';
import { ImageError, isImageError, messageOf } from './errors.js';
import { INDEX_MEDIA_TYPES, MANIFEST_MEDIA_TYPES, SCHEMA1_MEDIA_TYPES } from './media-types.js';

export interface Platform {
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
  readonly platform?: Platform;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ImageIndex {
  readonly schemaVersion: 2;
  readonly mediaType: string;
  readonly manifests: readonly Descriptor[];
}

export interface ImageManifest {
  readonly schemaVersion: 2;
  readonly mediaType: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
}

/** The runtime parts of an image config (Docker's `container_config` and history are ignored). */
export interface ImageRuntimeConfig {
  readonly User?: string;
  readonly ExposedPorts?: Readonly<Record<string, object>>;
  readonly Env?: readonly string[];
  readonly Entrypoint?: readonly string[];
  readonly Cmd?: readonly string[];
  readonly Volumes?: Readonly<Record<string, object>>;
  readonly WorkingDir?: string;
  readonly Labels?: Readonly<Record<string, string>>;
  readonly StopSignal?: string;
}

export interface ImageConfig {
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
  readonly created?: string;
  readonly config?: ImageRuntimeConfig;
  readonly rootfs: { readonly type: 'layers'; readonly diff_ids: readonly Digest[] };
}

type Json = Record<string, unknown>;

export function parseJson(bytes: Uint8Array, what: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new ImageError('InvalidArchive', `${what} is not valid JSON`, { cause: err });
  }
  if (!isObject(value)) throw new ImageError('InvalidArchive', `${what} is not a JSON object`);
  return value;
}

/** Tells an index from a manifest by its mediaType field, or by shape when that is absent. */
export function documentKind(doc: Json, mediaTypeHint?: string): 'index' | 'manifest' {
  const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : mediaTypeHint;
  if (mediaType !== undefined && SCHEMA1_MEDIA_TYPES.includes(mediaType)) {
    throw new ImageError('Unsupported', 'Docker image manifest schema 1 is not supported');
  }
  if (doc.schemaVersion === 1) {
    throw new ImageError('Unsupported', 'Docker image manifest schema 1 is not supported');
  }
  if (mediaType !== undefined && INDEX_MEDIA_TYPES.includes(mediaType)) return 'index';
  if (mediaType !== undefined && MANIFEST_MEDIA_TYPES.includes(mediaType)) return 'manifest';
  if (Array.isArray(doc.manifests)) return 'index';
  if (isObject(doc.config) && Array.isArray(doc.layers)) return 'manifest';
  throw new ImageError(
    'Unsupported',
    `unsupported manifest media type ${JSON.stringify(mediaType)}`,
  );
}

export function parseIndex(doc: Json, what: string): ImageIndex {
  checkSchemaVersion(doc, what);
  if (!Array.isArray(doc.manifests)) fail(`${what}: manifests must be an array`);
  const manifests = (doc.manifests as unknown[]).map((d, i) =>
    parseDescriptor(d, `${what}: manifests[${i}]`),
  );
  return { schemaVersion: 2, mediaType: stringOr(doc.mediaType, ''), manifests };
}

export function parseManifest(doc: Json, what: string): ImageManifest {
  checkSchemaVersion(doc, what);
  if (!Array.isArray(doc.layers)) fail(`${what}: layers must be an array`);
  return {
    schemaVersion: 2,
    mediaType: stringOr(doc.mediaType, ''),
    config: parseDescriptor(doc.config, `${what}: config`),
    layers: (doc.layers as unknown[]).map((d, i) => parseDescriptor(d, `${what}: layers[${i}]`)),
  };
}

export function parseImageConfig(doc: Json, what: string): ImageConfig {
  const rootfs = doc.rootfs;
  if (!isObject(rootfs) || rootfs.type !== 'layers' || !Array.isArray(rootfs.diff_ids)) {
    fail(`${what}: rootfs must be {"type":"layers","diff_ids":[…]}`);
  }
  const diffIds = (rootfs.diff_ids as unknown[]).map((d, i) =>
    typeof d === 'string'
      ? checkedDigest(d, `${what}: rootfs.diff_ids[${i}]`)
      : fail(`${what}: rootfs.diff_ids[${i}] must be a string`),
  );
  const config =
    doc.config === undefined || doc.config === null
      ? undefined
      : parseRuntimeConfig(doc.config, what);
  return {
    architecture: stringOr(doc.architecture, ''),
    os: stringOr(doc.os, ''),
    ...(typeof doc.variant === 'string' && { variant: doc.variant }),
    ...(typeof doc.created === 'string' && { created: doc.created }),
    ...(config !== undefined && { config }),
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
}

function parseRuntimeConfig(value: unknown, what: string): ImageRuntimeConfig {
  if (!isObject(value)) fail(`${what}: config must be an object`);
  const c = value;
  const strings = (key: string): readonly string[] | undefined => {
    const v = c[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
      fail(`${what}: config.${key} must be an array of strings`);
    }
    return v;
  };
  const objectMap = (key: string): Readonly<Record<string, object>> | undefined => {
    const v = c[key];
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) fail(`${what}: config.${key} must be an object`);
    return v as Record<string, object>;
  };
  const labels = objectMap('Labels') as Record<string, unknown> | undefined;
  if (labels !== undefined && !Object.values(labels).every((v) => typeof v === 'string')) {
    fail(`${what}: config.Labels values must be strings`);
  }
  const result: Record<string, unknown> = {
    User: typeof c.User === 'string' ? c.User : undefined,
    ExposedPorts: objectMap('ExposedPorts'),
    Env: strings('Env'),
    Entrypoint: strings('Entrypoint'),
    Cmd: strings('Cmd'),
    Volumes: objectMap('Volumes'),
    WorkingDir: typeof c.WorkingDir === 'string' ? c.WorkingDir : undefined,
    Labels: labels,
    StopSignal: typeof c.StopSignal === 'string' ? c.StopSignal : undefined,
  };
  return Object.fromEntries(Object.entries(result).filter(([, v]) => v !== undefined));
}

export function parseDescriptor(value: unknown, what: string): Descriptor {
  if (!isObject(value)) fail(`${what} must be an object`);
  const d = value;
  if (typeof d.mediaType !== 'string') fail(`${what}.mediaType must be a string`);
  if (typeof d.digest !== 'string') fail(`${what}.digest must be a string`);
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
    fail(`${what}.size must be a non-negative integer`);
  }
  const platform = isObject(d.platform)
    ? {
        architecture: stringOr(d.platform.architecture, ''),
        os: stringOr(d.platform.os, ''),
        ...(typeof d.platform.variant === 'string' && { variant: d.platform.variant }),
      }
    : undefined;
  const annotations = isObject(d.annotations)
    ? Object.fromEntries(
        Object.entries(d.annotations).filter(
          (e): e is [string, string] => typeof e[1] === 'string',
        ),
      )
    : undefined;
  return {
    mediaType: d.mediaType,
    digest: checkedDigest(d.digest, `${what}.digest`),
    size: d.size,
    ...(platform !== undefined && { platform }),
    ...(annotations !== undefined && { annotations }),
  };
}

function checkSchemaVersion(doc: Json, what: string): void {
  if (doc.schemaVersion !== 2) fail(`${what}: schemaVersion must be 2`);
}

function checkedDigest(value: string, what: string): Digest {
  try {
    return parseDigest(value, what);
  } catch (err) {
    if (isImageError(err, 'Unsupported')) throw err;
    throw new ImageError('InvalidArchive', messageOf(err), { cause: err });
  }
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(message: string): never {
  throw new ImageError('InvalidArchive', message);
}
