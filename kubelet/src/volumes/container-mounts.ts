// A container's volumeMounts as CRI mounts: the volume's place on the node, or a subPath inside
// it (which must stay inside it), at mountPath, read-only if asked.
import { join, normalize } from 'node:path';
import type { Container } from '@skiff/api';
import type { Mount } from '@skiff/proto';
import { ContainerConfigError } from '../kuberuntime/env.js';

export function containerMounts(
  container: Readonly<Container>,
  volumes: ReadonlyMap<string, string>,
): Mount[] {
  return (container.volumeMounts ?? []).map((m) => {
    const base = volumes.get(m.name);
    if (base === undefined) {
      throw new ContainerConfigError(
        `cannot find volume "${m.name}" to mount into container "${container.name}"`,
      );
    }
    const subPath = m.subPath ?? '';
    if (
      subPath !== '' &&
      (subPath.startsWith('/') || normalize(subPath).split('/').includes('..'))
    ) {
      throw new ContainerConfigError(
        `subPath ${JSON.stringify(subPath)} must stay inside volume "${m.name}"`,
      );
    }
    return {
      container_path: m.mountPath,
      host_path: subPath === '' ? base : join(base, subPath),
      readonly: m.readOnly === true,
      propagation:
        m.mountPropagation === 'Bidirectional'
          ? 'PROPAGATION_BIDIRECTIONAL'
          : m.mountPropagation === 'HostToContainer'
            ? 'PROPAGATION_HOST_TO_CONTAINER'
            : 'PROPAGATION_PRIVATE',
    };
  });
}
