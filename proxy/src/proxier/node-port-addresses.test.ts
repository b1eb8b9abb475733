import { makeNode } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { nodePortAddresses } from './node-port-addresses.js';

const node = makeNode()
  .addresses(
    { type: 'InternalIP', address: '192.168.1.10' },
    { type: 'ExternalIP', address: '203.0.113.5' },
    { type: 'Hostname', address: 'node-a' },
    { type: 'InternalIP', address: 'fd00::10' },
  )
  .obj();

describe('nodePortAddresses', () => {
  it.each([
    {
      name: "uses the node's IPv4 addresses and 127.0.0.1",
      cidrs: [],
      localhost: true,
      want: ['192.168.1.10', '203.0.113.5', '127.0.0.1'],
    },
    {
      name: 'leaves out 127.0.0.1 without localhost node ports',
      cidrs: [],
      localhost: false,
      want: ['192.168.1.10', '203.0.113.5'],
    },
    {
      name: 'keeps only the addresses within --nodeport-addresses',
      cidrs: ['192.168.0.0/16'],
      localhost: true,
      want: ['192.168.1.10'],
    },
    {
      name: 'keeps 127.0.0.1 when its range is given',
      cidrs: ['127.0.0.0/8', '203.0.113.0/24'],
      localhost: true,
      want: ['203.0.113.5', '127.0.0.1'],
    },
    {
      name: 'leaves out 127.0.0.1 for primary, the node’s own addresses',
      cidrs: ['primary'],
      localhost: true,
      want: ['192.168.1.10', '203.0.113.5'],
    },
  ])('$name', ({ cidrs, localhost, want }) => {
    expect(nodePortAddresses(node, cidrs, localhost)).toEqual(want);
  });

  it('answers only 127.0.0.1 before the Node is known', () => {
    expect(nodePortAddresses(undefined, [], true)).toEqual(['127.0.0.1']);
  });
});
