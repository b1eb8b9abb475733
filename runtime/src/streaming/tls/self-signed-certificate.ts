// The certificate the streaming server serves HTTPS with when it is given none, as containerd's
// `enable_tls_streaming` without `x509_key_pair_streaming`: self-signed (its own CA), for the
// node's hostname and every address of its interfaces, valid for a year from an hour before now (clocks
// of client and node may differ a little), made fresh at every start and never stored with its key.
// ECDSA P-256 rather than containerd's RSA 2048: as widely accepted, and made in a millisecond.
import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  implicit,
  octetString,
  oid,
  sequence,
  set,
  time,
  unsignedInteger,
  utf8String,
} from './der.js';

export interface CertificateSubject {
  /** The subject's common name (containerd: the hostname). */
  readonly commonName: string;
  /** Names and addresses the certificate is good for (subjectAltName). */
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
}

export interface KeyPair {
  /** PEM. */
  readonly cert: string;
  /** PEM (PKCS #8). */
  readonly key: string;
}

const ONE_HOUR_MS = 60 * 60 * 1000;
const ONE_YEAR_MS = 365 * 24 * ONE_HOUR_MS;

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  subjectKeyIdentifier: '2.5.29.14',
};

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** An IP address as subjectAltName carries it: 4 or 16 bytes. */
function ipBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split('.').map(Number));
  const [head = '', tail = ''] = address.split('::');
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const h = groups(head);
  const t = address.includes('::') ? groups(tail) : [];
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.concat(all.map((g) => Buffer.from(g.padStart(4, '0'), 'hex')));
}

/** A fresh key and a self-signed certificate for `subject`, valid from an hour before `now`. */
export function selfSignedCertificate(subject: CertificateSubject, now: Date): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const name = sequence(set(sequence(oid(OID.commonName), utf8String(subject.commonName))));
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f || 1;
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const validFrom = new Date(now.getTime() - ONE_HOUR_MS);
  const altNames = [
    ...subject.dnsNames.map((dns) => implicit(2, Buffer.from(dns, 'latin1'))),
    ...subject.ipAddresses.map((ip) => implicit(7, ipBytes(ip))),
  ];
  const extensions = sequence(
    // Its own CA: a client trusts it by naming this very certificate as its CA.
    extension(OID.basicConstraints, true, sequence(boolean(true))),
    // digitalSignature (bit 0) and keyCertSign (bit 5): 1000 0100, two bits of padding.
    extension(OID.keyUsage, true, bitString(Buffer.from([0x84]), 2)),
    extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
    extension(
      OID.subjectKeyIdentifier,
      false,
      octetString(createHash('sha1').update(spki).digest()),
    ),
    ...(altNames.length > 0 ? [extension(OID.subjectAltName, false, sequence(...altNames))] : []),
  );
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(serial),
    algorithm,
    name,
    sequence(time(validFrom), time(new Date(validFrom.getTime() + ONE_YEAR_MS))),
    name,
    spki,
    explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  const cert = new X509Certificate(der).toString();
  return { cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
