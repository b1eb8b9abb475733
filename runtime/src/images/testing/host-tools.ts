// Tests that need a host program (docker-registry, busybox) skip when it is missing on a
// developer's machine, but fail under CI=true with the Debian package to install, so a CI that
// lost a package never goes green by silently skipping.
import { existsSync } from 'node:fs';

export function requireHostTool(path: string, debianPackage: string): boolean {
  if (existsSync(path)) return true;
  const message = `${path} not found: install Debian's ${debianPackage} package (apt-get install -y ${debianPackage})`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping: ${message}`);
  return false;
}
