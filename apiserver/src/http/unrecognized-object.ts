// kube-apiserver reads a JSON request body's apiVersion/kind before anything else; when the body
// is not JSON at all (most often YAML sent with `Content-Type: application/json`, as
// `kubectl create --raw … -f pod.yaml` does) that first read fails and the answer is a 400 that
// names the kind the URL expects and shows the start of the body. Clients and Kubernetes' own
// kubectl tests match on this wording, so skiff gives the same.
import { apiErrors, type ApiError } from '@skiff/api';

const jsonValueStart = /^[{["tfn\-0-9]/;
const summaryLength = 30;

/**
 * The 400 for an object body whose JSON does not parse; `detail` is the parser's complaint, used
 * when the body starts like JSON but breaks later.
 */
export function unrecognizedObject(expectedKind: string, body: Buffer, detail: string): ApiError {
  const text = body.toString('utf8');
  const first = text.trimStart().charAt(0);
  const parseError =
    first !== '' && !jsonValueStart.test(first)
      ? `invalid character ${goQuoteChar(first)} looking for beginning of value`
      : detail;
  return apiErrors.badRequest(
    `the object provided is unrecognized (must be of type ${expectedKind}): ` +
      `couldn't get version/kind; json parse error: ${parseError} (${summarize(body)})`,
  );
}

/** Go's quoteChar: the character in single quotes, escaped as a Go string would be. */
function goQuoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  return `'${JSON.stringify(c).slice(1, -1)}'`;
}

/** The start of the body: as text when it looks like a JSON object, else as hex. */
function summarize(body: Buffer): string {
  if (body.length === 0) return '<empty>';
  const cut = body.length > summaryLength;
  const head = body.subarray(0, summaryLength);
  const shown = body[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return cut ? `${shown} ...` : shown;
}
