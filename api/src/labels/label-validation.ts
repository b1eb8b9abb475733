// Label keys and values. A key is a "qualified name": an optional DNS subdomain prefix and a
// slash, then a name of at most 63 characters. Annotation keys and finalizers use the same rule.
import { byteLength, dns1123SubdomainMaxLength, isDNS1123Subdomain } from '../validation/dns.js';
import { type FieldError, type FieldPath, fieldErrors } from '../validation/field-error.js';
import { emptyError, maxLenError, regexError } from '../validation/messages.js';

const qualifiedNameCharFmt = '[A-Za-z0-9]';
const qualifiedNameExtCharFmt = '[-A-Za-z0-9_.]';
const qualifiedNameFmt = `(${qualifiedNameCharFmt}${qualifiedNameExtCharFmt}*)?${qualifiedNameCharFmt}`;
const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameMaxLength = 63;
const qualifiedNameRegexp = new RegExp(`^${qualifiedNameFmt}$`);

const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const labelValueMaxLength = 63;
const labelValueRegexp = new RegExp(`^${labelValueFmt}$`);

/** Kubernetes' IsQualifiedName: the list of problems, empty when `value` is valid. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) {
      errs.push(`prefix part ${emptyError()}`);
    } else {
      errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
    }
  } else {
    return [
      `a qualified name ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (byteLength(name) > qualifiedNameMaxLength) {
    errs.push(`name part ${maxLenError(qualifiedNameMaxLength)}`);
  }
  if (!qualifiedNameRegexp.test(name)) {
    errs.push(
      `name part ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`,
    );
  }
  return errs;
}

/** Kubernetes' IsValidLabelValue: at most 63 characters, possibly empty. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > labelValueMaxLength) errs.push(maxLenError(labelValueMaxLength));
  if (!labelValueRegexp.test(value)) {
    errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/** The prefix of a qualified name may be at most this long (it is a DNS subdomain). */
export const qualifiedNamePrefixMaxLength = dns1123SubdomainMaxLength;

export function validateLabelName(key: string, path: FieldPath): FieldError[] {
  return isQualifiedName(key).map((msg) => fieldErrors.invalid(path, key, msg));
}

/**
 * Every problem in a label map. As in Kubernetes the path is the map itself
 * (`metadata.labels`), not the key: the bad key or value is the error's value.
 */
export function validateLabels(
  labels: Readonly<Record<string, string>> | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(key, path));
    errs.push(...isValidLabelValue(value).map((msg) => fieldErrors.invalid(path, value, msg)));
  }
  return errs;
}
