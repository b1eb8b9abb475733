import { describe, expect, it } from 'vitest';
import { isQualifiedName, isValidLabelValue } from './label-validation.js';

const nameRegexMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('isQualifiedName', () => {
  it.each(['a', 'A', 'my.name', '123-abc', 'example.com/MyName', 'a_b', `${'a'.repeat(63)}`])(
    'accepts %j',
    (key) => expect(isQualifiedName(key)).toEqual([]),
  );

  it.each<[string, string[]]>([
    ['-a', [`name part ${nameRegexMsg}`]],
    ['a-', [`name part ${nameRegexMsg}`]],
    ['', ['name part must be non-empty', `name part ${nameRegexMsg}`]],
    ['a'.repeat(64), ['name part must be no more than 63 characters']],
    ['/a', ['prefix part must be non-empty']],
    ['example.com/', ['name part must be non-empty', `name part ${nameRegexMsg}`]],
    [
      'Example.com/a',
      [
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    ],
    [
      'a/b/c',
      [
        `a qualified name ${nameRegexMsg} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      ],
    ],
  ])('rejects %j with Kubernetes messages', (key, messages) => {
    expect(isQualifiedName(key)).toEqual(messages);
  });
});

describe('isValidLabelValue', () => {
  it.each(['', 'a', 'my_value', '12345', 'a.b-c_d'])('accepts %j', (v) =>
    expect(isValidLabelValue(v)).toEqual([]),
  );

  it.each<[string, string[]]>([
    [
      '-x',
      [
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    ],
    ['a'.repeat(64), ['must be no more than 63 characters']],
  ])('rejects %j', (v, messages) => expect(isValidLabelValue(v)).toEqual(messages));
});
