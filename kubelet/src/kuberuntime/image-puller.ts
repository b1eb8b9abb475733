// Makes sure a container's image is on the node before it is created (Kubernetes' image
// manager, EnsureImageExists): imagePullPolicy decides whether to pull; a failed pull is
// ErrImagePull, and until the pull back-off (10 s doubling to 5 min) expires the next attempts
// are ImagePullBackOff without asking the registry again. A pull goes out with the credentials
// the pod's imagePullSecrets hold for the image's registry (the keyring's match), each in turn
// until one works, or anonymously when none match — as the kubelet's PullImage does.
import { errorMessage } from '@skiff/api';
import type { Container, Pod, Secret } from '@skiff/api';
import { imageRepository, makeDockerKeyring } from '../credentialprovider/index.js';
import { rpcErrorText, rpcStatusOf, type ImageService } from '../cri/index.js';
import type { KeyedBackoff } from './backoff.js';

export class ImagePullError extends Error {
  override readonly name = 'ImagePullError';
  constructor(
    /** ErrImagePull, ImagePullBackOff, ErrImageNeverPull or InvalidImageName. */
    readonly reason: string,
    /** The container's waiting message. */
    message: string,
    /** The Warning event's message, where it says more than the waiting message. */
    readonly event: string = message,
  ) {
    super(message);
  }
}

export interface PulledImage {
  /** What the runtime calls the image (its ID): what CreateContainer gets. */
  readonly ref: string;
  /** The image's numeric user, when it names one (for runAsNonRoot). */
  readonly uid: number | undefined;
  /** Whether this call pulled it (for the Pulling/Pulled events). */
  readonly pulled: boolean;
}

/** `nginx`, `nginx:latest` and digest-less references without a tag are pulled every time. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastPart.lastIndexOf(':');
  const tag = colon < 0 ? '' : lastPart.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export interface ImagePullerOptions {
  readonly images: ImageService;
  readonly backoff: KeyedBackoff;
  readonly now: () => number;
  /** Told before a pull starts (the Pulling event). */
  readonly onPulling?: (pod: Readonly<Pod>, container: Readonly<Container>) => void;
  /** A secret of the pod's namespace, or undefined when there is none of that name. */
  readonly getSecret?: (namespace: string, name: string) => Promise<Secret | undefined>;
  /** Told which of the pod's imagePullSecrets could not be read (before the pull goes ahead). */
  readonly onPullSecretsMissing?: (pod: Readonly<Pod>, names: readonly string[]) => void;
  readonly log?: (message: string) => void;
}

export class ImagePuller {
  constructor(private readonly options: ImagePullerOptions) {}

  async ensureImageExists(
    pod: Readonly<Pod>,
    container: Readonly<Container>,
  ): Promise<PulledImage> {
    const { images, backoff, now } = this.options;
    const image = container.image ?? '';
    if (image === '') throw new ImagePullError('InvalidImageName', 'container has no image');
    const policy = container.imagePullPolicy ?? defaultPullPolicy(image);
    const present = await images.imageStatus(image);
    const uidOf = (value: string | undefined): number | undefined =>
      value === undefined || value === '' ? undefined : Number(value);
    if (present && policy !== 'Always') {
      return { ref: present.id, uid: uidOf(present.uid?.value), pulled: false };
    }
    if (policy === 'Never') {
      throw new ImagePullError(
        'ErrImageNeverPull',
        `Container image "${image}" is not present with pull policy of Never`,
      );
    }
    const key = `${pod.metadata.uid ?? ''}/${image}`;
    if (backoff.remainingSinceLastFailure(key, now()) > 0) {
      throw new ImagePullError('ImagePullBackOff', `Back-off pulling image "${image}"`);
    }
    this.options.onPulling?.(pod, container);
    try {
      const ref = await this.pullWithSecrets(pod, image);
      const pulledStatus = await images.imageStatus(ref);
      return { ref, uid: uidOf(pulledStatus?.uid?.value), pulled: true };
    } catch (err) {
      backoff.next(key, now());
      const message = pullErrorText(err);
      throw new ImagePullError(
        'ErrImagePull',
        message,
        `Failed to pull image ${JSON.stringify(image)}: ${message}`,
      );
    }
  }

  private async pullWithSecrets(pod: Readonly<Pod>, image: string): Promise<string> {
    const { images } = this.options;
    const secrets = await this.pullSecrets(pod);
    const credentials = makeDockerKeyring(secrets).lookup(imageRepository(image));
    if (credentials.length === 0) return images.pullImage(image);
    const failures: string[] = [];
    for (const { username, password } of credentials) {
      try {
        return await images.pullImage(image, { username, password });
      } catch (err) {
        failures.push(pullErrorText(err));
      }
    }
    // Every login failed: one error says it, several read as Kubernetes' aggregate error.
    const distinct = [...new Set(failures)];
    throw new Error(distinct.length === 1 ? distinct[0] : `[${distinct.join(', ')}]`);
  }

  /** The pod's imagePullSecrets that exist; the others are reported and left out. */
  private async pullSecrets(pod: Readonly<Pod>): Promise<Secret[]> {
    const { getSecret, onPullSecretsMissing } = this.options;
    const names = (pod.spec?.imagePullSecrets ?? [])
      .map((ref) => ref.name ?? '')
      // The API once let empty names through; upstream skips them without a warning.
      .filter((name) => name !== '');
    if (names.length === 0 || getSecret === undefined) return [];
    const namespace = pod.metadata.namespace ?? 'default';
    const found: Secret[] = [];
    const missing: string[] = [];
    for (const name of names) {
      const secret = await getSecret(namespace, name).catch((err: unknown) => {
        // Unreadable is missing, as upstream: the pull still goes ahead without it.
        this.options.log?.(`pull secret ${namespace}/${name}: ${errorMessage(err)}`);
        return undefined;
      });
      if (secret === undefined) missing.push(name);
      else found.push(secret);
    }
    if (missing.length > 0) onPullSecretsMissing?.(pod, missing);
    return found;
  }
}

/** A runtime's gRPC error as Go prints it (`rpc error: code = … desc = …`), else its message. */
function pullErrorText(err: unknown): string {
  const rpc = rpcStatusOf(err);
  return rpc === undefined ? errorMessage(err) : rpcErrorText(rpc.code, rpc.details);
}
