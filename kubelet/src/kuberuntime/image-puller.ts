// Makes sure a container's image is on the node before it is created (Kubernetes' image
// manager, EnsureImageExists): imagePullPolicy decides whether to pull; a failed pull is
// ErrImagePull, and until the pull back-off (10 s doubling to 5 min) expires the next attempts
// are ImagePullBackOff without asking the registry again.
import { errorMessage } from '@skiff/api';
import type { Container, Pod } from '@skiff/api';
import type { ImageService } from '../cri/index.js';
import type { KeyedBackoff } from './backoff.js';

export class ImagePullError extends Error {
  override readonly name = 'ImagePullError';
  constructor(
    /** ErrImagePull, ImagePullBackOff, ErrImageNeverPull or InvalidImageName. */
    readonly reason: string,
    message: string,
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
      const ref = await images.pullImage(image);
      const pulledStatus = await images.imageStatus(ref);
      return { ref, uid: uidOf(pulledStatus?.uid?.value), pulled: true };
    } catch (err) {
      backoff.next(key, now());
      const detail = errorMessage(err);
      throw new ImagePullError('ErrImagePull', `failed to pull image "${image}": ${detail}`);
    }
  }
}
