// A small stand-in resource for the watch cache's tests: real JSON values in real storage, with
// the key layout of ../../storage/keys.ts, and a builder so each test says only what matters.
import type { KeyValue, Storage } from '../../storage/interface.js';
import { objectKey } from '../../storage/keys.js';

export const WIDGETS = 'widgets';
export const WIDGET_PREFIX = `${WIDGETS}/`;

export interface Widget {
  readonly kind: 'Widget';
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly resourceVersion?: string;
  };
  readonly spec: { readonly size: number };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The decode the cache is given: the stored JSON with resourceVersion = modRevision. */
export function decodeWidget(kv: KeyValue): Widget {
  const stored = JSON.parse(decoder.decode(kv.value)) as Widget;
  return { ...stored, metadata: { ...stored.metadata, resourceVersion: String(kv.modRevision) } };
}

export class WidgetBuilder {
  private constructor(private readonly widget: Widget) {}

  static named(name: string): WidgetBuilder {
    return new WidgetBuilder({ kind: 'Widget', metadata: { name }, spec: { size: 1 } });
  }

  in(namespace: string): WidgetBuilder {
    return new WidgetBuilder({ ...this.widget, metadata: { ...this.widget.metadata, namespace } });
  }

  labels(labels: Record<string, string>): WidgetBuilder {
    return new WidgetBuilder({ ...this.widget, metadata: { ...this.widget.metadata, labels } });
  }

  size(size: number): WidgetBuilder {
    return new WidgetBuilder({ ...this.widget, spec: { size } });
  }

  build(): Widget {
    return this.widget;
  }
}

export const widget = (name: string): WidgetBuilder => WidgetBuilder.named(name).in('default');

export function widgetKey(w: Widget): string {
  return objectKey(WIDGETS, w.metadata.namespace, w.metadata.name);
}

/** Writes widgets straight to storage (what the registry will do), returning revisions. */
export class WidgetWriter {
  constructor(private readonly storage: Storage) {}

  async create(w: WidgetBuilder | Widget): Promise<number> {
    const obj = w instanceof WidgetBuilder ? w.build() : w;
    return (await this.storage.create(widgetKey(obj), encode(obj))).modRevision;
  }

  /** Replaces the widget's stored value whatever its current revision. */
  async update(w: WidgetBuilder | Widget): Promise<number> {
    const obj = w instanceof WidgetBuilder ? w.build() : w;
    const key = widgetKey(obj);
    const current = await this.storage.get(key);
    if (!current) throw new Error(`update of missing widget ${key}`);
    return (await this.storage.update(key, encode(obj), current.modRevision)).modRevision;
  }

  /** Deletes the widget; returns the deletion's revision. */
  async delete(w: WidgetBuilder | Widget): Promise<number> {
    const obj = w instanceof WidgetBuilder ? w.build() : w;
    await this.storage.delete(widgetKey(obj));
    return this.storage.currentRevision();
  }
}

function encode(w: Widget): Uint8Array {
  // What is stored never carries a resourceVersion: that is the store's revision.
  const { resourceVersion: _ignored, ...metadata } = w.metadata;
  return encoder.encode(JSON.stringify({ ...w, metadata }));
}
