// The names a new controller project is built from, checked as the apiserver would check a CRD's
// (so a typo fails here, not at `skiff apply -f crd.yaml`), with the plural Kubernetes tools
// derive from a kind.
import { UsageError } from '../kubectl/errors.js';

export interface ControllerNames {
  /** `Greeting` */
  readonly kind: string;
  /** `greeting` */
  readonly singular: string;
  /** `greetings` */
  readonly plural: string;
  /** `course.example.com` */
  readonly group: string;
  /** `v1alpha1` */
  readonly version: string;
}

export function controllerNames(kind: string, group: string, version: string): ControllerNames {
  if (!/^[A-Z][A-Za-z0-9]{0,62}$/.test(kind)) {
    throw new UsageError(
      `error: --kind ${JSON.stringify(kind)}: a kind is UpperCamelCase letters and digits, e.g. Greeting`,
    );
  }
  const label = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
  if (!new RegExp(`^${label}(\\.${label})+$`).test(group) || group.length > 253) {
    throw new UsageError(
      `error: --group ${JSON.stringify(group)}: a group is a DNS subdomain with at least one dot, e.g. course.example.com`,
    );
  }
  if (!/^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/.test(version)) {
    throw new UsageError(
      `error: --version ${JSON.stringify(version)}: a version looks like v1, v1beta1 or v1alpha1`,
    );
  }
  const singular = kind.toLowerCase();
  return { kind, singular, plural: pluralOf(singular), group, version };
}

/** What kubebuilder and kubectl create derive: boxes, policies, greetings. */
export function pluralOf(singular: string): string {
  if (/(s|x|z|ch|sh)$/.test(singular)) return `${singular}es`;
  if (/[^aeiou]y$/.test(singular)) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}
