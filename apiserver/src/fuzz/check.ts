// What every answer to client input must satisfy: no 5xx (bar the documented exceptions), and
// every error a well-formed metav1.Status whose code is the HTTP status. Watch streams are
// checked line by line: each line a WatchEvent, each ERROR event a Status without a 5xx.
import type { FuzzRequest } from './requests.js';
import type { FuzzResponse } from './send.js';

const HEADER_LIMIT_BYTES = 16 * 1024;

/** Subresources that answer 503 until the kubelet connection exists (see the server README). */
const notYetConnected = /\/(log|exec|attach|portforward|proxy)\/?(\?|$)/;

/** 5xx answers that are Kubernetes' own behaviour for the request, not server faults. */
function documentedServerStatus(fuzz: FuzzRequest, status: Record<string, unknown>): boolean {
  if (status.code === 503 && notYetConnected.test(fuzz.path.split('?')[0] ?? '')) return true;
  // A resourceVersion ahead of the store: Kubernetes answers 504 Timeout "Too large resource version".
  const message = typeof status.message === 'string' ? status.message : '';
  return status.code === 504 && message.startsWith('Too large resource version');
}

export function problemsWith(fuzz: FuzzRequest, res: FuzzResponse): string[] {
  if (res.transportError !== undefined) return [`transport: ${res.transportError}`];
  const problems: string[] = [];
  if (fuzz.method === 'HEAD') {
    if (res.status >= 500) problems.push(`HEAD answered ${res.status}`);
    return problems;
  }
  if (fuzz.watch && res.status === 200) return watchProblems(fuzz, res.text);
  // Node's HTTP parser refuses request heads over 16 KiB before the app sees them, with a bare
  // 431 — as Kubernetes' Go server does. Only a URL that long may get one.
  if (res.status === 431 && fuzz.path.length > HEADER_LIMIT_BYTES) return problems;
  if (res.status < 400) return problems;
  const status = parseJson(res.text);
  if (!status) return [`${res.status} with a body that is not JSON: ${excerpt(res.text)}`];
  problems.push(...statusProblems(status, res.status));
  if (res.status >= 500 && !documentedServerStatus(fuzz, status)) {
    problems.push(`server error ${res.status} for client input: ${excerpt(res.text)}`);
  }
  return problems;
}

function statusProblems(status: Record<string, unknown>, code: number): string[] {
  const problems: string[] = [];
  if (status.kind !== 'Status' || status.apiVersion !== 'v1') {
    problems.push(`error body is not a v1 Status: ${excerpt(JSON.stringify(status))}`);
  }
  if (status.status !== 'Failure') problems.push(`Status.status is ${String(status.status)}`);
  if (status.code !== code) problems.push(`Status.code ${String(status.code)} ≠ HTTP ${code}`);
  if (typeof status.reason !== 'string' || status.reason === '')
    problems.push('Status has no reason');
  if (typeof status.message !== 'string' || status.message === '')
    problems.push('Status has no message');
  return problems;
}

function watchProblems(fuzz: FuzzRequest, text: string): string[] {
  const problems: string[] = [];
  // The last line may be cut off where the client hung up; only complete lines are judged.
  const lines = text
    .split('\n')
    .slice(0, -1)
    .filter((l) => l.trim() !== '');
  for (const line of lines) {
    const event = parseJson(line);
    if (!event || typeof event.type !== 'string' || typeof event.object !== 'object') {
      problems.push(`watch line is not a WatchEvent: ${excerpt(line)}`);
      continue;
    }
    if (event.type !== 'ERROR') continue;
    const status = event.object as Record<string, unknown>;
    const code = typeof status.code === 'number' ? status.code : 0;
    problems.push(...statusProblems(status, code));
    if (code >= 500 && !documentedServerStatus(fuzz, status)) {
      problems.push(`watch ERROR event with ${code}: ${excerpt(line)}`);
    }
  }
  return problems;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}

export function excerpt(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
