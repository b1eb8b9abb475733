/**
 * The gRPC target for a CRI unix socket. Accepts what users and kubelet flags write: a plain
 * path (/run/containerd/containerd.sock) or an endpoint already in unix: form.
 */
export function criAddress(socket: string): string {
  if (socket.startsWith('unix:')) return socket;
  if (socket === '') throw new Error('CRI socket path is empty');
  // unix:///abs/path for absolute paths; unix:rel/path keeps relative ones relative.
  return socket.startsWith('/') ? `unix://${socket}` : `unix:${socket}`;
}
