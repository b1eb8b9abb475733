import type { Pod } from '@skiff/api';
import { makeNode, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import type { ImageState, NodeInfo } from '../framework/index.js';
import { ImageLocality, normalizedImageName } from './image-locality.js';
import { nodeInfoOf, scoresOf, snapshotOf } from './testing/plugin-harness.js';

const MB = 1024 * 1024;

/** Nodes whose image states are shared as the cache shares them (numNodes counts holders). */
function cluster(images: Record<string, Record<string, number>>): NodeInfo[] {
  const states = new Map<string, ImageState>();
  return Object.entries(images).map(([name, present]) => {
    const info = nodeInfoOf(makeNode().name(name).obj());
    for (const [image, sizeMb] of Object.entries(present)) {
      let state = states.get(image);
      if (!state) {
        state = { sizeBytes: sizeMb * MB, numNodes: 0 };
        states.set(image, state);
      }
      state.numNodes++;
      info.imageStates.set(image, state);
    }
    return info;
  });
}

const podWith = (...images: string[]): Pod => {
  const pod = makePod().name('p');
  images.forEach((image, i) => pod.container(`c${i}`, { image }));
  return pod.obj();
};

const scores = (nodes: NodeInfo[], pod: Pod) =>
  scoresOf(new ImageLocality(snapshotOf(nodes)), pod, nodes);

describe('ImageLocality Score', () => {
  it.each<[string, Record<string, Record<string, number>>, Pod, Record<string, number>]>([
    [
      'an image on two of three nodes counts two thirds of its size',
      { n1: { 'nginx:latest': 500 }, n2: { 'nginx:latest': 500 }, n3: {} },
      podWith('nginx'),
      // 100 × (500 MiB × 2/3 − 23 MiB) / (1000 MiB − 23 MiB)
      { n1: 31, n2: 31, n3: 0 },
    ],
    [
      'an image below 23 MiB counts for nothing',
      { n1: { 'pause:3.9': 10 }, n2: {} },
      podWith('pause:3.9'),
      { n1: 0, n2: 0 },
    ],
    [
      'a huge image is capped at 1000 MiB per container',
      { n1: { 'big:1': 4000 } },
      podWith('big:1'),
      { n1: 100 },
    ],
    [
      'the cap grows with the containers: 1000 MiB for a two-container pod scores about half',
      { n1: { 'big:1': 1000 } },
      podWith('big:1', 'missing:1'),
      // 100 × (1000 − 23) / (2000 − 23)
      { n1: 49 },
    ],
    [
      'two containers sharing the node’s images add up',
      { n1: { 'a:1': 600, 'b:1': 600 }, n2: { 'a:1': 600 } },
      podWith('a:1', 'b:1'),
      // n1: 600 + 300 = 900 MiB of 2000; n2: 600 MiB
      { n1: 44, n2: 29 },
    ],
    [
      'no node of the cluster has any of the pod’s images: skipped in PreScore (every score would be 0)',
      { n1: { 'other:1': 600 }, n2: {} },
      podWith('mine:1'),
      {},
    ],
  ])('%s', (_name, images, pod, expected) => {
    expect(scores(cluster(images), pod)).toEqual(expected);
  });

  it('names an untagged image :latest and leaves tags and digests alone', () => {
    expect(normalizedImageName('nginx')).toBe('nginx:latest');
    expect(normalizedImageName('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(normalizedImageName('nginx:1.27')).toBe('nginx:1.27');
    expect(normalizedImageName('nginx@sha256:abc')).toBe('nginx@sha256:abc');
  });
});
