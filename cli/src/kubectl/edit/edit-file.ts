// The file `skiff edit` opens, as kubectl writes it: a comment header, the reasons the last save
// failed (`# deployments.apps "web" was not valid:` with one `# * field: message` per cause),
// then the objects as YAML; and how the saved file is read back (comment lines dropped).
import { parseAllDocuments } from 'yaml';
import { deepEqual } from './merge-patch.js';

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

export interface EditReason {
  readonly head: string;
  readonly other: readonly string[];
}

/** `#` continues a multi-line reason on each of its lines. */
function hashOnLineBreak(text: string): string {
  return text.replace(/\n(?!#)(?=.)/g, '\n# ');
}

export function header(reasons: readonly EditReason[]): string {
  let text = HEADER;
  for (const r of reasons) {
    text += `# ${hashOnLineBreak(r.head)}${r.other.length > 0 ? ':' : ''}\n`;
    for (const o of r.other) text += `# * ${hashOnLineBreak(o)}\n`;
    text += '#\n';
  }
  return text;
}

/** kubectl's ManualStrip: every line whose text starts with `#` (but not `#!`) removed. */
export function manualStrip(text: string): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed.startsWith('#') && !trimmed.startsWith('#!')) return;
    kept.push(line + (i < lines.length - 1 ? '\n' : ''));
  });
  return kept.join('');
}

/** Every YAML document of the text as data; throws the first syntax error. */
export function parseDocuments(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => {
    const [error] = d.errors;
    if (error) throw error;
    return d.toJS() as unknown;
  });
}

/** The file's content as data (so layout-only changes are no change), else its text. */
export function withoutComments(text: string): unknown {
  try {
    return parseDocuments(text);
  } catch {
    // Not YAML: compared as text, as kubectl compares what it cannot convert.
    return manualStrip(text);
  }
}

export function sameContent(a: string, b: string): boolean {
  return deepEqual(withoutComments(a), withoutComments(b));
}

/** kubectl's hasLines: any line that is neither blank nor a comment. */
export function hasContent(text: string): boolean {
  return text.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}
