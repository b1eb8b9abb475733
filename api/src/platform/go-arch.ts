// Kubernetes and OCI spell architectures as Go does (GOARCH: amd64, arm64, 386, …), Node.js as
// its process.arch (x64, arm64, ia32, …). The node's `kubernetes.io/arch` label, its nodeInfo,
// the apiserver's /version and the image platform a runtime picks all need Go's spelling.
const goArchOfNodeArch: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le', // Kubernetes ships ppc64 only little-endian
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
};

/** GOARCH for a Node.js architecture name (this process's by default); unknown names as given. */
export function goArch(nodeArch: string = process.arch): string {
  return goArchOfNodeArch[nodeArch] ?? nodeArch;
}
