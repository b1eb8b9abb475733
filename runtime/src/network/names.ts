// Names of the kernel objects that belong to a sandbox. They are derived from the sandbox id, so
// a restarted runtime finds what an earlier process created without any other record.
import { createHash } from 'node:crypto';

/** Linux interface names are at most 15 bytes (IFNAMSIZ 16 with the terminating NUL). */
export const maxInterfaceNameLength = 15;

const sandboxIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

/** Sandbox ids end up in file names and interface aliases: refuse anything that is not plain. */
export function checkSandboxId(sandboxId: string): void {
  if (!sandboxIdPattern.test(sandboxId)) {
    throw new Error(
      `invalid sandbox id ${JSON.stringify(sandboxId)}: want 1-200 letters, digits, "_", "." or "-", starting with a letter or digit`,
    );
  }
}

/** The named network namespace, a bind mount at /run/netns/<name> that outlives the runtime. */
export function netnsName(sandboxId: string): string {
  return `skiff-${sandboxId}`;
}

export function netnsPath(sandboxId: string): string {
  return `/run/netns/${netnsName(sandboxId)}`;
}

/**
 * Host-side veth names to try, in order. Sandbox ids are longer than an interface name, so the
 * name is a hash; should one ever collide with an interface of another sandbox (told apart by
 * the alias below), the next candidate is taken.
 */
export function hostVethCandidates(sandboxId: string, count = 8): string[] {
  return Array.from({ length: count }, (_, attempt) => {
    const digest = createHash('sha256').update(`${sandboxId}#${attempt}`).digest('hex');
    return `veth${digest.slice(0, maxInterfaceNameLength - 'veth'.length)}`;
  });
}

/** The alias set on a sandbox's host-side veth: who owns the interface, readable in `ip link`. */
export function vethAlias(sandboxId: string): string {
  return `skiff-sandbox:${sandboxId}`;
}

export function sandboxIdFromAlias(alias: string | undefined): string | undefined {
  const prefix = 'skiff-sandbox:';
  return alias?.startsWith(prefix) ? alias.slice(prefix.length) : undefined;
}

/** Bridge names also name the NAT table and rule comments, so they stay within [A-Za-z0-9_]. */
export function checkBridgeName(name: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name) || name.length > maxInterfaceNameLength) {
    throw new Error(
      `invalid bridge name ${JSON.stringify(name)}: want at most ${maxInterfaceNameLength} letters, digits or "_", starting with a letter`,
    );
  }
}
