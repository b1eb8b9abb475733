// CreateContainer's look at its image, the same for both backends: a name that cannot be parsed
// is the caller's mistake (InvalidArgument), and an image that is not there must be pulled first
// (NotFound), as the kubelet expects before it pulls and retries.
import { messageOf, RuntimeError } from './errors.js';
import type { ImageSource } from './sandbox-context.js';

export async function lookUpImage(
  images: ImageSource,
  imageName: string,
): Promise<{ id: string; repoDigests: readonly string[] }> {
  let image;
  try {
    image = await images.status(imageName);
  } catch (err) {
    throw new RuntimeError(
      'InvalidArgument',
      `image ${JSON.stringify(imageName)}: ${messageOf(err)}`,
      { cause: err },
    );
  }
  if (image === undefined) {
    throw new RuntimeError(
      'NotFound',
      `image ${JSON.stringify(imageName)} not found: pull it first`,
    );
  }
  return image;
}
