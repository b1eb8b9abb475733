// What the rules of every Service port share about this node.
export interface RuleContext {
  /**
   * The pod network (`--cluster-cidr`). Traffic to a ClusterIP from outside it is masqueraded,
   * and pod traffic to an externalTrafficPolicy Local service is short-circuited to all
   * endpoints; omitted, neither happens (kube-proxy without --cluster-cidr).
   */
  readonly clusterCIDR?: string;
  /** Addresses that accept NodePort traffic: the node's, and 127.0.0.1 for localhost NodePorts. */
  readonly nodePortAddresses: readonly string[];
}

/** kube-proxy's masquerade mark bit (--masquerade-bit 14). */
export const MASQUERADE_MARK = '0x4000';
