// A meta/v1 Table printed as kubectl prints it (its printTable): upper-cased column names, the
// priority-0 columns unless -o wide, NAMESPACE first with -A, LABELS last with --show-labels,
// one row per object; a string cell stops at its first line break ("…" marks the cut). The
// caller aligns the text with ./tabwriter.ts once every table of the command is written.
import type { Table, TableRow } from '@skiff/api';

export interface TableOptions {
  readonly wide?: boolean;
  readonly withNamespace?: boolean;
  readonly showLabels?: boolean;
  readonly noHeaders?: boolean;
  /** `-L key`: one column per label key, its value in each row. */
  readonly labelColumns?: readonly string[];
  /** Prefixes the name cell with `kind.group/`, as kubectl does when several kinds print. */
  readonly kindPrefix?: string;
}

interface RowMeta {
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** The table as tab-separated lines, each ending in a newline; nothing when it has no rows. */
export function tableText(table: Table, options: TableOptions = {}): string {
  if (table.rows.length === 0) return '';
  const shown = table.columnDefinitions
    .map((column, index) => ({ column, index }))
    .filter(({ column }) => options.wide || column.priority === 0 || column.priority === undefined);
  const nameIndex = table.columnDefinitions.findIndex((c) => c.name === 'Name');
  const lines: string[] = [];
  if (!options.noHeaders) {
    lines.push(
      [
        ...(options.withNamespace ? ['NAMESPACE'] : []),
        ...shown.map(({ column }) => column.name.toUpperCase()),
        ...(options.labelColumns ?? []).map(labelColumnHeader),
        ...(options.showLabels ? ['LABELS'] : []),
      ].join('\t'),
    );
  }
  for (const row of table.rows) {
    const meta = rowMeta(row);
    const cells = shown.map(({ index }) => {
      const text = cellText(row.cells[index]);
      return options.kindPrefix && index === nameIndex ? `${options.kindPrefix}/${text}` : text;
    });
    lines.push(
      [
        ...(options.withNamespace ? [meta.namespace ?? ''] : []),
        ...cells,
        ...(options.labelColumns ?? []).map((key) => meta.labels?.[key] ?? ''),
        ...(options.showLabels ? [formatLabels(meta.labels)] : []),
      ].join('\t'),
    );
  }
  return lines.map((l) => `${l}\n`).join('');
}

/** `app=web,tier=front` sorted by key, `<none>` when there are none (labels.FormatLabels). */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

function labelColumnHeader(key: string): string {
  return (key.split('/').pop() ?? key).toUpperCase();
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') {
    const cut = cell.search(/[\f\n\r]/);
    return cut >= 0 ? `${cell.slice(0, cut)}...` : cell;
  }
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  return JSON.stringify(cell);
}

function rowMeta(row: TableRow): RowMeta {
  const object = row.object as { metadata?: RowMeta } | undefined;
  return object?.metadata ?? {};
}
