// The repository an image is pulled from, normalized as Docker's reference parser does (what the
// kubelet's parsers.ParseImageName hands the keyring): no tag or digest, the registry spelled
// out — `busybox:1` is `docker.io/library/busybox`, `team/app` is `docker.io/team/app`,
// `localhost:5000/app:v1` is `localhost:5000/app`.

const DOCKER_HUB = 'docker.io';

export function imageRepository(image: string): string {
  const at = image.indexOf('@');
  let name = at < 0 ? image : image.slice(0, at);
  const lastSlash = name.lastIndexOf('/');
  const tagColon = name.indexOf(':', lastSlash + 1);
  if (tagColon >= 0) name = name.slice(0, tagColon);
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const namesRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  let domain = namesRegistry ? first : DOCKER_HUB;
  let path = namesRegistry ? name.slice(slash + 1) : name;
  if (domain === 'index.docker.io') domain = DOCKER_HUB;
  if (domain === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  return `${domain}/${path}`;
}
