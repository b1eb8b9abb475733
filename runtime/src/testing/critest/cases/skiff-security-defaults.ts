// Where skiff's security defaults legitimately differ from containerd 1.6's, skiff's are checked
// here. An empty masked_paths/readonly_paths list cannot be told from an unset one on the wire;
// containerd 1.6 then masks nothing (it counts on the kubelet to send its defaults), skiff applies
// the defaults containerd's OCI spec has, so a CRI client that sends none still gets a masked
// /proc. supplemental_groups_policy is newer than containerd 1.6.
import { expect, it } from 'vitest';
import type { SkiffTarget } from '../skiff-target.js';
import { shIn } from '../container-exec.js';
import { makeContainer, sharedPod, startIn, withSecurityContext } from '../pods.js';
import { procSysReadonly, timerListMasked } from './filesystem-protection.js';

export function skiffSecurityDefaultCases(target: () => SkiffTarget): void {
  const pod = sharedPod(target, 'skiff-defaults');

  it('masks and write-protects the default /proc paths when the lists are empty', async () => {
    const id = await startIn(target(), pod, makeContainer(target(), 'defaults', 'exec sleep 3600'));
    expect((await shIn(target(), id, timerListMasked)).stdout.trim()).toBe('masked');
    expect((await shIn(target(), id, procSysReadonly)).stdout.trim()).toBe('ro');
  });

  it('accepts supplemental_groups_policy Strict, keeping the requested groups', async () => {
    // The image's www-data (33) belongs to no other group, so Merge and Strict agree on what the
    // image adds (nothing); the requested groups are what Strict must keep.
    const config = withSecurityContext(makeContainer(target(), 'strict', 'exec sleep 3600'), {
      run_as_user: { value: 33 },
      supplemental_groups: [4321],
      supplemental_groups_policy: 'Strict',
    });
    const id = await startIn(target(), pod, config);
    expect((await shIn(target(), id, 'id -G')).stdout.trim()).toBe('33 4321');
  });
}
