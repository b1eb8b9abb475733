// The `format` values a CRD schema may use and how each is checked. Kubernetes validates a
// fixed list (kube-openapi's strfmt registry) and ignores any other format, so do we: a format
// missing here is dropped from the compiled schema rather than rejected.
import { isIPv4, isIPv6 } from 'node:net';
import type { Ajv } from 'ajv';

// Go's time.Time accepts RFC 3339 with optional fractional seconds.
const dateTime = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const date = /^\d{4}-\d{2}-\d{2}$/;
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const uuid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const dnsSubdomain =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/i;
const email = /^[^\s@]+@[^\s@]+$/;
const mac = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/;
// Go's time.ParseDuration: "300ms", "1.5h", "2h45m".
const duration = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$|^0$/;

function isCidr(value: string): boolean {
  const [ip, bits, ...rest] = value.split('/');
  if (ip === undefined || bits === undefined || rest.length > 0 || !/^\d{1,3}$/.test(bits)) {
    return false;
  }
  const max = isIPv4(ip) ? 32 : isIPv6(ip) ? 128 : -1;
  return Number(bits) <= max;
}

const stringFormats: Record<string, RegExp | ((value: string) => boolean)> = {
  'date-time': dateTime,
  datetime: dateTime,
  date,
  byte: base64,
  uuid,
  uuid3: uuid,
  uuid4: uuid,
  uuid5: uuid,
  hostname: dnsSubdomain,
  email,
  mac,
  duration,
  ipv4: isIPv4,
  ipv6: isIPv6,
  cidr: isCidr,
  password: () => true,
};

const int32 = (n: number): boolean => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31;

/** Adds every supported format to `ajv`. */
export function addFormats(ajv: Ajv): Ajv {
  for (const [name, check] of Object.entries(stringFormats)) {
    ajv.addFormat(name, { type: 'string', validate: check });
  }
  ajv.addFormat('int32', { type: 'number', validate: int32 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  return ajv;
}

export function isSupportedFormat(format: string): boolean {
  return (
    Object.hasOwn(stringFormats, format) || ['int32', 'int64', 'float', 'double'].includes(format)
  );
}
