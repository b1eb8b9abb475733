// `--container-runtime-endpoint` takes a URL, as the kubelet's does: `unix:///run/skiff/runtime.sock`.
// Only unix sockets are accepted — CRI runtimes listen on one, and a TCP endpoint would carry
// the node's containers over an unauthenticated channel.

/** The socket path of a `unix://` endpoint (a bare absolute path is accepted too). */
export function socketPathOf(endpoint: string): string {
  if (endpoint.startsWith('/')) return endpoint;
  const match = /^unix:\/\/(\/.+)$/.exec(endpoint);
  if (match?.[1] === undefined) {
    throw new Error(
      `--container-runtime-endpoint ${JSON.stringify(endpoint)}: want unix:///path/to/socket`,
    );
  }
  return match[1];
}
