// The self-signed streaming certificate as a TLS client sees it: parsed by Node's own X.509
// code, good for the names and addresses asked, valid from an hour before "now" for a year,
// its own issuer, and the key that comes with it.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from './self-signed-certificate.js';
import { hostSubject, loadStreamingKeyPair } from './streaming-tls.js';

const NOW = new Date('2026-12-06T10:00:00Z');
const subject = {
  commonName: 'node-a',
  dnsNames: ['node-a', 'localhost'],
  ipAddresses: ['127.0.0.1', '10.0.0.7', '::1', 'fe80::1:2'],
};

describe('selfSignedCertificate', () => {
  const pair = selfSignedCertificate(subject, NOW);
  const cert = new X509Certificate(pair.cert);

  it('is its own issuer, a CA a client can name as trusted', () => {
    expect(cert.subject).toBe('CN=node-a');
    expect(cert.issuer).toBe('CN=node-a');
    expect(cert.ca).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
  });

  it('is valid from an hour before now for a year', () => {
    expect(new Date(cert.validFrom).toISOString()).toBe('2026-12-06T09:00:00.000Z');
    expect(new Date(cert.validTo).toISOString()).toBe('2027-12-06T09:00:00.000Z');
  });

  it.each([
    ['a DNS name', 'node-a', 'checkHost'],
    ['localhost', 'localhost', 'checkHost'],
    ['an IPv4 address', '10.0.0.7', 'checkIP'],
    ['an IPv6 address', '::1', 'checkIP'],
    ['a compressed IPv6 address', 'fe80::1:2', 'checkIP'],
  ] as const)('is good for %s', (_what, name, check) => {
    expect(cert[check](name)).toBe(name);
  });

  it('is not good for a name it was not made for', () => {
    expect(cert.checkHost('elsewhere')).toBeUndefined();
    expect(cert.checkIP('10.0.0.8')).toBeUndefined();
  });

  it('comes with its private key', () => {
    expect(cert.checkPrivateKey(createPrivateKey(pair.key))).toBe(true);
  });

  it('has a fresh key and serial each time', () => {
    const again = new X509Certificate(selfSignedCertificate(subject, NOW).cert);
    expect(again.serialNumber).not.toBe(cert.serialNumber);
    expect(again.publicKey.export({ format: 'jwk' })).not.toEqual(
      cert.publicKey.export({ format: 'jwk' }),
    );
  });
});

describe('hostSubject', () => {
  it('names the host and every interface address, loopback included', () => {
    const host = hostSubject();
    expect(host.dnsNames).toContain('localhost');
    expect(host.ipAddresses).toContain('127.0.0.1');
    expect(host.ipAddresses.every((ip) => !ip.includes('%'))).toBe(true);
  });
});

describe('loadStreamingKeyPair', () => {
  let dir = '';
  afterEach(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });
  const files = async (
    cert: string,
    key: string,
  ): Promise<{ certFile: string; keyFile: string }> => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-streaming-tls-'));
    await writeFile(join(dir, 'tls.crt'), cert);
    await writeFile(join(dir, 'tls.key'), key);
    return { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
  };

  it('makes a self-signed pair when no files are named', async () => {
    const pair = await loadStreamingKeyPair({}, NOW);
    expect(pair.selfSigned).toBe(true);
    expect(new X509Certificate(pair.cert).checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  it('serves the key pair in the files named', async () => {
    const made = selfSignedCertificate(subject, NOW);
    const pair = await loadStreamingKeyPair(await files(made.cert, made.key), NOW);
    expect(pair).toEqual({ ...made, selfSigned: false });
  });

  it.each([
    [
      'only a certificate file',
      { certFile: '/x.crt' },
      'both a certificate file and a private key file',
    ],
    ['only a key file', { keyFile: '/x.key' }, 'both a certificate file and a private key file'],
    [
      'a missing file',
      { certFile: '/nonexistent.crt', keyFile: '/nonexistent.key' },
      'reading the streaming certificate /nonexistent.crt',
    ],
  ])('refuses %s', async (_what, options, message) => {
    await expect(loadStreamingKeyPair(options, NOW)).rejects.toThrow(message);
  });

  it('refuses a key that is not the certificate’s', async () => {
    const one = selfSignedCertificate(subject, NOW);
    const other = selfSignedCertificate(subject, NOW);
    const named = await files(one.cert, other.key);
    await expect(loadStreamingKeyPair(named, NOW)).rejects.toThrow(
      `the key in ${named.keyFile} does not belong to the certificate in ${named.certFile}`,
    );
  });

  it('refuses a file that is not a certificate', async () => {
    const one = selfSignedCertificate(subject, NOW);
    const named = await files('not a certificate', one.key);
    await expect(loadStreamingKeyPair(named, NOW)).rejects.toThrow(
      `${named.certFile}: not a PEM certificate`,
    );
  });
});
