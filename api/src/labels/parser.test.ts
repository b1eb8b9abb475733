import { describe, expect, it } from 'vitest';
import { SelectorParseError, parseSelector } from './parser.js';

describe('parseSelector', () => {
  it.each([
    ['', ''],
    ['app=web', 'app=web'],
    ['app==web', 'app==web'],
    ['tier!=db', 'tier!=db'],
    ['env in (prod,staging)', 'env in (prod,staging)'],
    ['env in (staging, prod)', 'env in (prod,staging)'],
    ['env in (b,a,b)', 'env in (a,b)'],
    ['version notin (1,2)', 'version notin (1,2)'],
    ['!legacy', '!legacy'],
    ['exists-key', 'exists-key'],
    ['x>1', 'x>1'],
    ['x<5', 'x<5'],
    ['a=', 'a='],
    ['a in ()', 'a in ()'],
    ['a in (,b)', 'a in (,b)'],
    ['x=in', 'x=in'],
    ['x in (in,notin)', 'x in (in,notin)'],
    ['example.com/role=admin', 'example.com/role=admin'],
    // Requirements come out sorted by key: the canonical form.
    [
      'app=web,tier!=db,env in (prod,staging),!legacy,version notin (1,2),exists-key',
      'app=web,env in (prod,staging),exists-key,!legacy,tier!=db,version notin (1,2)',
    ],
    ['  b = 1 ,  a  ', 'a,b=1'],
  ])('parses %j into the canonical form %j', (input, canonical) => {
    const selector = parseSelector(input);
    expect(selector.toString()).toBe(canonical);
    expect(parseSelector(selector.toString()).toString()).toBe(canonical);
  });

  it('treats the empty string as selecting everything', () => {
    const s = parseSelector('');
    expect(s.isEverything()).toBe(true);
    expect(s.matches({ any: 'thing' })).toBe(true);
  });

  it.each([
    ['app=web', { app: 'web' }, true],
    ['app=web', { app: 'api' }, false],
    ['app=web', {}, false],
    ['app==web', { app: 'web' }, true],
    ['tier!=db', { tier: 'db' }, false],
    ['tier!=db', { tier: 'fe' }, true],
    ['tier!=db', {}, true],
    ['env in (prod,staging)', { env: 'staging' }, true],
    ['env in (prod,staging)', { env: 'dev' }, false],
    ['env in (prod,staging)', {}, false],
    ['env notin (prod)', {}, true],
    ['env notin (prod)', { env: 'prod' }, false],
    ['env notin (prod)', { env: 'dev' }, true],
    ['!legacy', { legacy: '' }, false],
    ['!legacy', { other: 'x' }, true],
    ['exists-key', { 'exists-key': '' }, true],
    ['exists-key', {}, false],
    ['a=', { a: '' }, true],
    ['a=', {}, false],
    ['x>1', { x: '2' }, true],
    ['x>1', { x: '1' }, false],
    ['x>1', { x: 'abc' }, false],
    ['x<10', { x: '9' }, true],
    ['x<10', {}, false],
    ['app=web,tier!=db', { app: 'web', tier: 'fe' }, true],
    ['app=web,tier!=db', { app: 'web', tier: 'db' }, false],
  ])('%j matching %j is %s', (input, labels, expected) => {
    expect(parseSelector(input).matches(labels)).toBe(expected);
  });

  it.each([
    ['app=web,', "found '', expected: identifier after ','", 8],
    [',a', "found ',', expected: !, identifier, or 'end of string'", 0],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt", 2],
    ['a in b', "unable to parse requirement: found 'b' expected: '('", 5],
    ['a in (b c)', "unable to parse requirement: found 'c', expected: ',' or ')'", 8],
    ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier", 6],
    ['a=b c', "found 'c', expected: ',' or 'end of string'", 4],
    ['a==(', "unable to parse requirement: found '(', expected: identifier", 3],
    ['!a=b', "found '=', expected: ',' or 'end of string'", 2],
    ['!', "unable to parse requirement: found '', expected: identifier", 1],
    ['x>a', 'unable to parse requirement: ', 0],
    ['a=b=c', "found '=', expected: ',' or 'end of string'", 3],
  ])('rejects %j with %j at position %i', (input, message, position) => {
    let caught: unknown;
    try {
      parseSelector(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SelectorParseError);
    const err = caught as SelectorParseError;
    expect(err.detail.startsWith(message)).toBe(true);
    expect(err.position).toBe(position);
    expect(err.message).toContain(`(at position ${position})`);
  });

  it('reports an invalid key with the qualified-name rule', () => {
    expect(() => parseSelector('-bad=x')).toThrow(
      'key: Invalid value: "-bad": name part must consist of alphanumeric characters',
    );
  });

  it('reports an invalid value with its key in the path', () => {
    expect(() => parseSelector('app=a b')).toThrow(SelectorParseError);
    expect(() => parseSelector('app=-x')).toThrow(
      'values[0][app]: Invalid value: "-x": a valid label must be an empty string',
    );
  });

  it('rejects a non-integer for gt and lt', () => {
    expect(() => parseSelector('x>a')).toThrow(
      "for 'Gt', 'Lt' operators, the value must be an integer",
    );
  });
});
