// Which kinds the apiserver serves right now: the built-in table plus the custom resources of
// established CRDs, which come and go while the server runs. Routing, discovery and OpenAPI all
// read this one view, so a CRD appears in (and disappears from) all three at once.
import { builtinKinds, kindForResource, type KindInfo } from '@skiff/api';

export interface ServedKinds {
  /** Every kind served, one row per group/version/resource. */
  all(): readonly KindInfo[];
  /** The row behind a URL's group, version and resource, or undefined (404). */
  forResource(group: string, version: string, resource: string): KindInfo | undefined;
}

/** Built-in kinds first: a custom resource can never shadow one (CRD naming refuses it too). */
export function servedKinds(custom?: ServedKinds): ServedKinds {
  return {
    all: () => (custom ? [...builtinKinds, ...custom.all()] : builtinKinds),
    forResource: (group, version, resource) =>
      kindForResource(group, version, resource) ?? custom?.forResource(group, version, resource),
  };
}
