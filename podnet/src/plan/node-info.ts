// What the pod network needs to know about a Node, read once from the object: its podCIDR, the
// address other nodes reach it at, and (VXLAN) the MAC of its tunnel endpoint. flannel keeps the
// same facts in `flannel.alpha.coreos.com/backend-data` and `…/public-ip`; skiff's names follow.
import type { Node } from '@skiff/api';

/** The MAC address of the node's `skiff.vxlan` device (flannel: backend-data's VtepMAC). */
export const VXLAN_MAC_ANNOTATION = 'skiff.dev/vxlan-mac';
/** The address other nodes send this node's VXLAN packets to (flannel: public-ip). */
export const PUBLIC_IP_ANNOTATION = 'skiff.dev/public-ip';

export interface NodeNetInfo {
  readonly name: string;
  /** spec.podCIDR: unset until the node IPAM controller allocates one. */
  readonly podCIDR: string | undefined;
  /** The first InternalIP in status.addresses (IPv4). */
  readonly internalIP: string | undefined;
  /** The VXLAN endpoint: the public-ip annotation, else the InternalIP. */
  readonly publicIP: string | undefined;
  readonly vxlanMAC: string | undefined;
}

const isIpv4 = (text: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(text);

export function nodeNetInfo(node: Readonly<Node>): NodeNetInfo {
  const annotations = node.metadata.annotations ?? {};
  const internalIP = node.status?.addresses?.find(
    (a) => a.type === 'InternalIP' && isIpv4(a.address),
  )?.address;
  const publicIP = annotations[PUBLIC_IP_ANNOTATION];
  const podCIDR = node.spec?.podCIDR ?? node.spec?.podCIDRs?.find((c) => c.includes('.'));
  return {
    name: node.metadata.name ?? '',
    podCIDR: podCIDR === '' ? undefined : podCIDR,
    internalIP,
    publicIP: publicIP !== undefined && isIpv4(publicIP) ? publicIP : internalIP,
    vxlanMAC: annotations[VXLAN_MAC_ANNOTATION],
  };
}
