// A throwaway PKI made with the real openssl: a CA, a server certificate for 127.0.0.1 and a
// client certificate, so TLS tests exercise the same verification kubectl and Node do.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onTestFinished } from 'vitest';

const run = promisify(execFile);

export interface TestCertificates {
  /** Where the PEM files are (ca.crt, server.crt/.key, client.crt/.key). */
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

export async function makeCertificates(clientName: string): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-certs-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const at = (file: string): string => join(dir, file);
  const key = (name: string): string[] => [
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    at(`${name}.key`),
  ];
  await run('openssl', [
    'req',
    '-x509',
    ...key('ca'),
    '-out',
    at('ca.crt'),
    '-days',
    '1',
    '-subj',
    '/CN=skiff-test-ca',
  ]);
  const sign = async (name: string, subject: string, extensions: string): Promise<void> => {
    await writeFile(at(`${name}.ext`), extensions);
    await run('openssl', ['req', ...key(name), '-out', at(`${name}.csr`), '-subj', subject]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      at(`${name}.csr`),
      '-CA',
      at('ca.crt'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-out',
      at(`${name}.crt`),
      '-days',
      '1',
      '-extfile',
      at(`${name}.ext`),
    ]);
  };
  await sign(
    'server',
    '/CN=skiff-apiserver',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  await sign('client', `/O=system:masters/CN=${clientName}`, 'extendedKeyUsage=clientAuth\n');
  const read = (file: string): Promise<string> => readFile(at(file), 'utf8');
  return {
    dir,
    caCert: await read('ca.crt'),
    serverCert: await read('server.crt'),
    serverKey: await read('server.key'),
    clientCert: await read('client.crt'),
    clientKey: await read('client.key'),
  };
}
