// Which certificate the streaming server serves HTTPS with, as containerd decides it: the key
// pair in the files given (`--streaming-tls-cert-file`/`--streaming-tls-private-key-file`,
// containerd's x509_key_pair_streaming; both or neither), else a self-signed one made now for
// this host (containerd's enable_tls_streaming alone).
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname, networkInterfaces } from 'node:os';
import { errorMessage } from '@skiff/api';
import {
  selfSignedCertificate,
  type CertificateSubject,
  type KeyPair,
} from './self-signed-certificate.js';

export interface StreamingTlsOptions {
  /** PEM certificate (chain) file; with keyFile. */
  readonly certFile?: string;
  /** PEM private key file; with certFile. */
  readonly keyFile?: string;
}

export interface StreamingKeyPair extends KeyPair {
  /** Made at start (no files were given). */
  readonly selfSigned: boolean;
}

/** containerd's subject: the hostname, and each interface address as an IP. */
export function hostSubject(): CertificateSubject {
  const host = hostname();
  const addresses = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    // A link-local IPv6 address carries its zone (fe80::1%eth0), which a certificate cannot.
    .map((info) => info.address.split('%')[0] ?? '')
    .filter((address) => address !== '');
  return { commonName: host, dnsNames: [host, 'localhost'], ipAddresses: [...new Set(addresses)] };
}

export async function loadStreamingKeyPair(
  options: StreamingTlsOptions,
  now: Date,
): Promise<StreamingKeyPair> {
  const { certFile, keyFile } = options;
  if (certFile === undefined && keyFile === undefined) {
    return { ...selfSignedCertificate(hostSubject(), now), selfSigned: true };
  }
  if (certFile === undefined || keyFile === undefined) {
    throw new Error(
      'streaming TLS needs both a certificate file and a private key file, or neither (for a self-signed certificate)',
    );
  }
  const read = async (path: string, what: string): Promise<string> => {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      throw new Error(`reading the streaming ${what} ${path}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  };
  const cert = await read(certFile, 'certificate');
  const key = await read(keyFile, 'private key');
  // Checked here so a wrong file is one clear line at start, not a failed handshake later.
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (err) {
    throw new Error(`${certFile}: not a PEM certificate: ${errorMessage(err)}`, { cause: err });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    throw new Error(`${keyFile}: not a PEM private key: ${errorMessage(err)}`, { cause: err });
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new Error(`the key in ${keyFile} does not belong to the certificate in ${certFile}`);
  }
  return { cert, key, selfSigned: false };
}
