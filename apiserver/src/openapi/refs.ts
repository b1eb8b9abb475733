// Where a reference points: OpenAPI v3 keeps named schemas under components, v2 under
// definitions. Everything else about a definition is the same in both documents.
export type RefStyle = 'v2' | 'v3';

const prefixes: Readonly<Record<RefStyle, string>> = {
  v2: '#/definitions/',
  v3: '#/components/schemas/',
};

export function refTo(definition: string, style: RefStyle): string {
  return prefixes[style] + definition;
}

/** The definition a `$ref` names, or undefined for a reference of another style. */
export function definitionOf(ref: string, style: RefStyle): string | undefined {
  return ref.startsWith(prefixes[style]) ? ref.slice(prefixes[style].length) : undefined;
}
