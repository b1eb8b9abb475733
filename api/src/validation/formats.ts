// Formats that are not DNS names: port names, environment variable names, config keys,
// percentages and IP addresses, with Kubernetes' messages.
import { isIP } from 'node:net';
import { dns1123SubdomainMaxLength } from './dns.js';
import { inclusiveRangeError, maxLenError, regexError } from './messages.js';

export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535
    ? []
    : [inclusiveRangeError(1, 65535)];
}

/** An IANA_SVC_NAME: at most 15 characters, lowercase letters, digits and single inner hyphens. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) {
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  }
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** Rejects `.`, `..` and `..x`, which would escape a directory when used as a file name. */
function hasChDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const envVarNameErrMsg =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";

export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!new RegExp(`^${envVarNameFmt}$`).test(value)) {
    errs.push(
      regexError(envVarNameErrMsg, envVarNameFmt, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'),
    );
  }
  errs.push(...hasChDirPrefix(value));
  return errs;
}

const configMapKeyFmt = '[-._a-zA-Z0-9]+';
const configMapKeyErrMsg =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

/** Keys of ConfigMap and Secret data: they become file names when mounted. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > dns1123SubdomainMaxLength) errs.push(maxLenError(dns1123SubdomainMaxLength));
  if (!new RegExp(`^${configMapKeyFmt}$`).test(value)) {
    errs.push(regexError(configMapKeyErrMsg, configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  }
  errs.push(...hasChDirPrefix(value));
  return errs;
}

const percentFmt = '[0-9]+%';

export function isValidPercent(value: string): string[] {
  return /^[0-9]+%$/.test(value)
    ? []
    : [
        regexError(
          "a valid percent string must be a numeric string followed by an ending '%'",
          percentFmt,
          '1%',
          '93%',
        ),
      ];
}

export function isValidIP(value: string): string[] {
  return isIP(value) === 0 ? ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'] : [];
}
