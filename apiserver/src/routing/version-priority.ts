// Kubernetes' order of API versions (apimachinery's CompareKubeAwareVersionStrings): GA before
// beta before alpha, higher numbers first within each, anything else last and alphabetically.
// Discovery lists a group's versions in this order and prefers the first: a CRD serving v1 and
// v1beta1 is preferred at v1 whatever order its spec lists them in.

const kubeVersion = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** 0 for GA, 1 for beta, 2 for alpha, 3 for a name outside the scheme. */
function parts(version: string): { rank: number; major: number; minor: number } {
  const m = kubeVersion.exec(version);
  if (!m) return { rank: 3, major: 0, minor: 0 };
  const rank = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
  return { rank, major: Number(m[1]), minor: Number(m[3] ?? 0) };
}

/** Negative when `a` is preferred over `b`. */
export function compareVersionPriority(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  if (pa.rank !== pb.rank) return pa.rank - pb.rank;
  if (pa.rank === 3) return a < b ? -1 : a > b ? 1 : 0;
  if (pa.major !== pb.major) return pb.major - pa.major;
  return pb.minor - pa.minor;
}
