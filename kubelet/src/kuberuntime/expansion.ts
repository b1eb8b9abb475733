// `$(VAR)` expansion in command, args and env values, with Kubernetes' rules
// (third_party/forked/golang/expansion): `$(NAME)` becomes NAME's value when NAME is defined and
// stays as written when it is not; `$$` is an escaped `$`; any other `$` is kept literally, and so
// is an unclosed `$(`.

export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const value = name === '' ? undefined : lookup(name);
      out += value ?? `$(${name})`;
      i = close + 1;
      continue;
    }
    out += '$';
    i++;
  }
  return out;
}
