import type { Pod } from '@skiff/api';
import { makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { podResources } from './resource.js';

describe('podResources', () => {
  const pod = makePod()
    .name('p')
    .container('c', { resources: { requests: { cpu: '250m' } } })
    .obj();

  it('answers a copy of the pod (the assumed pod, with spec.nodeName) from what it worked out', () => {
    const assumed: Pod = { ...pod, spec: { ...pod.spec, nodeName: 'n1' } };
    expect(podResources(assumed)).toBe(podResources(pod));
    expect(podResources(assumed).requests.milliCPU).toBe(250);
  });

  it('works it out again for a copy whose overhead or init containers differ', () => {
    const withOverhead: Pod = { ...pod, spec: { ...pod.spec, overhead: { cpu: '100m' } } };
    const withInit: Pod = {
      ...pod,
      spec: {
        ...pod.spec,
        initContainers: [{ name: 'i', resources: { requests: { cpu: '1' } } }],
      },
    };
    expect(podResources(withOverhead).requests.milliCPU).toBe(350);
    expect(podResources(withInit).requests.milliCPU).toBe(1000);
    expect(podResources(pod).requests.milliCPU).toBe(250);
  });
});
