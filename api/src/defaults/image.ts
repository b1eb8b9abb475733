// Which pull policy an image gets when the container does not say.

/**
 * The tag of an image reference: `nginx:1.25` → `1.25`, `nginx` → `latest`,
 * `nginx@sha256:…` → `""` (a digest pins the image, so there is no implicit latest), and a
 * registry port is not a tag (`localhost:5000/app` → `latest`).
 */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.indexOf(':', name.lastIndexOf('/') + 1);
  if (colon >= 0) return name.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

/** `:latest` moves, so it is pulled every time; anything else is pulled only when missing. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}
