// Parses `WWW-Authenticate` headers (RFC 7235): a scheme followed by auth-params, e.g.
//   Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"
//   Basic realm="Registry Realm"

export interface AuthChallenge {
  /** Lowercased: `bearer`, `basic`. */
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Every challenge in the header, in order. Unparseable parts are dropped. */
export function parseChallenges(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let pos = 0;
  const skipSpace = (): void => {
    while (pos < header.length && /[\s,]/.test(header[pos] ?? '')) pos++;
  };
  const token = (): string => {
    const start = pos;
    while (pos < header.length && /[^\s,=]/.test(header[pos] ?? '')) pos++;
    return header.slice(start, pos);
  };

  while (pos < header.length) {
    skipSpace();
    const scheme = token();
    if (scheme === '') break;
    const params: Record<string, string> = {};
    for (;;) {
      skipSpace();
      const save = pos;
      const key = token();
      if (key === '' || header[pos] !== '=') {
        pos = save; // Not a param: the next challenge's scheme.
        break;
      }
      pos++;
      params[key.toLowerCase()] = header[pos] === '"' ? quoted() : token();
    }
    challenges.push({ scheme: scheme.toLowerCase(), params });
  }
  return challenges;

  function quoted(): string {
    let out = '';
    pos++; // opening quote
    while (pos < header.length && header[pos] !== '"') {
      if (header[pos] === '\\') pos++;
      out += header[pos] ?? '';
      pos++;
    }
    pos++; // closing quote
    return out;
  }
}
