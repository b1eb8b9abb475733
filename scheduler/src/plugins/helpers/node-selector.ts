// Matching a node against node-selector terms, as Kubernetes' component-helpers nodeaffinity:
// terms are ORed, the requirements within a term ANDed; matchExpressions read labels with every
// operator (In, NotIn, Exists, DoesNotExist, Gt, Lt), matchFields read `metadata.name` only.
// A term with no requirements matches nothing, and so does an empty list of terms.
import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from '@skiff/api';

export function matchesAnyTerm(node: Readonly<Node>, terms: readonly NodeSelectorTerm[]): boolean {
  return terms.some((term) => matchesTerm(node, term));
}

export function matchesTerm(node: Readonly<Node>, term: Readonly<NodeSelectorTerm>): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  return (
    expressions.every((r) => requirementMatches(r, labels[r.key])) &&
    fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, node.metadata.name))
  );
}

function requirementMatches(
  r: Readonly<NodeSelectorRequirement>,
  value: string | undefined,
): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      // Both sides must be integers; a label that is not one never matches.
      const have = parseInteger(value);
      const want = parseInteger(values[0]);
      if (have === undefined || want === undefined || values.length !== 1) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

function parseInteger(text: string | undefined): bigint | undefined {
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  return BigInt(text);
}

/** spec.nodeSelector: every key must be a label of the node with exactly that value. */
export function matchesNodeSelector(
  node: Readonly<Node>,
  selector: Readonly<Record<string, string>> | undefined,
): boolean {
  if (!selector) return true;
  const labels = node.metadata.labels ?? {};
  for (const [key, value] of Object.entries(selector)) if (labels[key] !== value) return false;
  return true;
}
