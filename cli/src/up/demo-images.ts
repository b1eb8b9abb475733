// The images the demo and the pods' sandboxes use, built from the host's static busybox and put
// into a node's runtime store before that runtime starts (it is the store's only user then), so
// `image: skiff.local/busybox:latest` in manifests/ resolves with no registry and no download.

export async function ensureDemoImages(runtimeRoot: string): Promise<string> {
  // Imported here, not with `up`, and only the image store (no gRPC, no CRI): with --split the
  // runtime's code is its child's alone.
  const { DEMO_IMAGE, ImageStore } = await import('@skiff/runtime/images');
  const store = await ImageStore.open({ root: runtimeRoot });
  const { busybox } = await store.ensureDemoImages();
  return `${DEMO_IMAGE} (${busybox.id.slice(0, 19)})`;
}
