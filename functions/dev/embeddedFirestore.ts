import {
  FirestoreServer,
  FirestoreState,
  FirestoreStateDocument,
} from "@firestore-emulator/server";
import { answerInvalidQueries, applyVectorSearch } from "./embeddedVectorSearch";

type Transforms = Parameters<FirestoreStateDocument["v1Transform"]>[1];
type Field = ReturnType<FirestoreStateDocument["getField"]>;

/*
 * Two gaps of the package's field transforms, where real Firestore behaves otherwise and our
 * documents rely on it:
 * - v1Transform returns after a write's first transform, so a write with two server timestamps
 *   (updatedAt and completedAt) kept only one. We apply the transforms one at a time.
 * - A transform on a nested field (`latency.histogram.le_500`, the metrics' increments) throws
 *   "Not implemented". We compute it on a stand-in holding the nested value, with the package's
 *   own transform code, and write the result back under a nested update mask.
 */
const applyTransforms = FirestoreStateDocument.prototype.v1Transform;
let transformsPatched = false;
/** The package's transform code writes its results with a mask-less set(): that one merges. */
let applyingTransforms = 0;

/** Splits a field path as the SDK writes it: dots between segments, backticks around odd ones. */
function splitFieldPath(path: string): string[] {
  const segments: string[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === "`") {
      let segment = "";
      for (i += 1; i < path.length && path[i] !== "`"; i += 1) {
        if (path[i] === "\\") i += 1;
        segment += path[i];
      }
      segments.push(segment);
      i += 2; // closing backtick and the dot after it
    } else {
      const dot = path.indexOf(".", i);
      const end = dot === -1 ? path.length : dot;
      segments.push(path.slice(i, end));
      i = end + 1;
    }
  }
  return segments;
}

function nestedField(document: FirestoreStateDocument, segments: string[]): Field {
  let field: Field = document.getField(segments[0]);
  for (const segment of segments.slice(1)) {
    field = field?.type === "map_value" ? field.value[segment] : undefined;
  }
  return field;
}

function applyEveryTransform(): void {
  if (transformsPatched) return;
  transformsPatched = true;
  FirestoreStateDocument.prototype.v1Transform = function (date: Date, transforms: Transforms) {
    applyingTransforms += 1;
    try {
      applyEach.call(this, date, transforms);
    } finally {
      applyingTransforms -= 1;
    }
  };
  function applyEach(this: FirestoreStateDocument, date: Date, transforms: Transforms): void {
    for (const transform of transforms) {
      const segments = splitFieldPath(transform.field_path);
      if (segments.length === 1) {
        applyTransforms.call(this, date, [transform]);
        continue;
      }
      let result: Field;
      const standIn = {
        getField: () => nestedField(this, segments),
        set: (_date: Date, fields: Record<string, NonNullable<Field>>) => {
          result = Object.values(fields)[0];
        },
      };
      applyTransforms.call(standIn as unknown as FirestoreStateDocument, date, [transform]);
      if (!result) continue;
      // updateFields reads only `type` and `value` of the maps it is given and stores its own.
      let nested = result as unknown;
      for (const segment of segments.slice(1).reverse()) {
        nested = { type: "map_value", value: { [segment]: nested } };
      }
      // The package's masks escape only segments that contain a dot.
      const mask = segments.map((seg) => (seg.includes(".") ? `\`${seg}\`` : seg)).join(".");
      this.set(date, { [segments[0]]: nested as NonNullable<Field> }, [mask]);
    }
  }
}

/*
 * Two more gaps, in how writes replace fields, where our documents rely on real Firestore:
 * - A field named in a write's update mask but absent from its data must be deleted (that is
 *   how `FieldValue.delete()` and `update({ "a.b": FieldValue.delete() })` travel); the package
 *   ignored it, so a suggestion that streamed text and then failed kept the partial text.
 * - A write without an update mask (a plain `set()`) replaces the whole document; the package
 *   merged it into the old fields.
 * Both are applied before the package's own write, so its change events (and listeners) see
 * the final document.
 */
type Fields = Record<string, NonNullable<Field>>;
const packageSet = FirestoreStateDocument.prototype.set;
const packageUpdate = FirestoreStateDocument.prototype.update;
let writesPatched = false;

function hasPath(fields: Fields, segments: string[]): boolean {
  const [head, ...rest] = segments;
  const field = fields[head];
  if (field === undefined) return false;
  if (rest.length === 0) return true;
  return field.type === "map_value" && hasPath(field.value as Fields, rest);
}

function withoutPath(fields: Fields, segments: string[]): Fields {
  const [head, ...rest] = segments;
  const field = fields[head];
  if (field === undefined) return fields;
  if (rest.length === 0) {
    const { [head]: _removed, ...others } = fields;
    return others;
  }
  if (field.type !== "map_value") return fields;
  // The package's map field class is not exported; an existing map hands over its constructor.
  const MapField = field.constructor as new (value: Fields) => NonNullable<Field>;
  return { ...fields, [head]: new MapField(withoutPath(field.value as Fields, rest)) };
}

/** The current fields less every masked path the write does not carry: deletions. */
function applyMaskDeletions(current: Fields, written: Fields, mask: string[]): Fields {
  let result = current;
  for (const path of mask) {
    const segments = splitFieldPath(path);
    if (!hasPath(written, segments)) result = withoutPath(result, segments);
  }
  return result;
}

function applyWriteSemantics(): void {
  if (writesPatched) return;
  writesPatched = true;
  // `fields` is private in the package's types; these patches are the package's own methods.
  type Doc = { metadata: FirestoreStateDocument["metadata"]; fields: Fields };
  FirestoreStateDocument.prototype.update = function (
    this: Doc,
    date: Date,
    fields: Fields,
    updateMask: string[] = [],
  ) {
    if (this.metadata.hasExist) this.fields = applyMaskDeletions(this.fields, fields, updateMask);
    packageUpdate.call(this as unknown as FirestoreStateDocument, date, fields, updateMask);
  } as unknown as FirestoreStateDocument["update"];
  FirestoreStateDocument.prototype.set = function (
    this: Doc,
    date: Date,
    fields: Fields,
    updateMask?: string[],
  ) {
    if (this.metadata.hasExist) {
      this.fields =
        updateMask === undefined
          ? applyingTransforms > 0
            ? this.fields
            : {}
          : applyMaskDeletions(this.fields, fields, updateMask);
    }
    packageSet.call(this as unknown as FirestoreStateDocument, date, fields, updateMask ?? []);
  } as unknown as FirestoreStateDocument["set"];
}

/*
 * Query cursors: the package applies `limit` only, so `startAfter(doc)`, `endBefore` and
 * `offset` were ignored and a paged read repeated its first page (a long conversation's report
 * reads it in pages). Here the package filters and sorts, then cursors, offset and limit are
 * applied as Firestore does, with the document name as the final tie-break.
 */
type StructuredQuery = Parameters<FirestoreState["v1Query"]>[1];
type PlainValue = Record<string, unknown>;
const packageQuery = FirestoreState.prototype.v1Query;
let queriesPatched = false;
const DESCENDING = 2;
const VALUE_KINDS = [
  "null_value",
  "boolean_value",
  "integer_value",
  "double_value",
  "timestamp_value",
  "string_value",
  "reference_value",
] as const;

/** A value's place in Firestore's cross-type order, then its own order. */
function sortKey(value: PlainValue | undefined): [number, number | string | boolean] {
  if (!value) return [-1, 0];
  if ("null_value" in value) return [0, 0];
  if ("boolean_value" in value) return [1, Boolean(value.boolean_value)];
  if ("integer_value" in value) return [2, Number(value.integer_value)];
  if ("double_value" in value) return [2, Number(value.double_value)];
  if ("timestamp_value" in value) {
    const t = value.timestamp_value as { seconds?: unknown; nanos?: unknown };
    return [3, Number(t.seconds ?? 0) * 1e9 + Number(t.nanos ?? 0)];
  }
  if ("string_value" in value) return [4, String(value.string_value)];
  if ("reference_value" in value) {
    return [
      5,
      String(value.reference_value)
        .replace(/^.*?\/documents\//, "")
        .replace(/^\/+/, ""),
    ];
  }
  return [6, JSON.stringify(value)];
}

function compareValues(a: PlainValue | undefined, b: PlainValue | undefined): number {
  const [ta, va] = sortKey(a);
  const [tb, vb] = sortKey(b);
  if (ta !== tb) return ta - tb;
  return va < vb ? -1 : va > vb ? 1 : 0;
}

function applyCursors(): void {
  if (queriesPatched) return;
  queriesPatched = true;
  FirestoreState.prototype.v1Query = function (parent: string, query: StructuredQuery) {
    const offset = Number(query.offset ?? 0);
    // Every ordered query gets the full order (name last), so that pages agree with each other.
    if (query.order_by.length === 0 && !query.has_start_at && !query.has_end_at && offset === 0) {
      return packageQuery.call(this, parent, query);
    }
    const unlimited = new Proxy(query, {
      get: (target, prop) => (prop === "has_limit" ? false : Reflect.get(target, prop)),
    });
    const orders = query.order_by.map((o) => ({
      path: o.field.field_path,
      descending: o.direction === DESCENDING,
    }));
    if (!orders.some((o) => o.path === "__name__")) {
      orders.push({ path: "__name__", descending: orders.at(-1)?.descending ?? false });
    }
    const keyOf = (doc: FirestoreStateDocument): (PlainValue | undefined)[] =>
      orders.map((o) =>
        o.path === "__name__"
          ? { reference_value: doc.getDocumentPath() }
          : (doc.getField(o.path)?.toV1ValueObject() as PlainValue | undefined),
      );
    const compare = (a: (PlainValue | undefined)[], b: (PlainValue | undefined)[]) => {
      for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
        const c = compareValues(a[i], b[i]) * (orders[i].descending ? -1 : 1);
        if (c !== 0) return c;
      }
      return 0;
    };
    let docs = packageQuery
      .call(this, parent, unlimited)
      .map((doc) => ({ doc, key: keyOf(doc) }))
      .sort((a, b) => compare(a.key, b.key));
    // A protobuf Value lists every oneof member with defaults: keep the one that is set.
    const cursor = (c: typeof query.start_at) =>
      c.values.map((v) => {
        const flags = v as unknown as Record<string, boolean>;
        const set = VALUE_KINDS.find((kind) => flags[`has_${kind}`]);
        const plain = v.toObject() as PlainValue;
        return set ? { [set]: plain[set] } : plain;
      });
    if (query.has_start_at) {
      const at = cursor(query.start_at);
      docs = docs.filter(({ key }) => {
        const c = compare(key, at);
        return query.start_at.before ? c >= 0 : c > 0;
      });
    }
    if (query.has_end_at) {
      const at = cursor(query.end_at);
      docs = docs.filter(({ key }) => {
        const c = compare(key, at);
        return query.end_at.before ? c < 0 : c <= 0;
      });
    }
    const limit = query.has_limit ? query.limit.value : undefined;
    return docs.slice(offset, limit === undefined ? undefined : offset + limit).map((d) => d.doc);
  };
}

export interface EmbeddedFirestore {
  host: string;
  /** The emulator's in-memory state; its emitter reports every document created. */
  state: FirestoreServer["state"];
  stop(): void;
}

/**
 * Starts the in-process gRPC Firestore emulator on a free loopback port. Used where no
 * FIRESTORE_EMULATOR_HOST names another one (machines without Java or the Firebase CLI).
 * Known gaps: no collection-group queries, no transaction isolation, no security rules.
 */
export async function startEmbeddedFirestore(port = 0): Promise<EmbeddedFirestore> {
  applyEveryTransform();
  applyWriteSemantics();
  applyCursors();
  applyVectorSearch(); // after applyCursors: it wraps the query as patched so far
  const server = new FirestoreServer();
  answerInvalidQueries(server);
  // The package's start() binds 0.0.0.0 on a fixed port; we want loopback and a free port,
  // so we bind its gRPC server ourselves (a private field, reached by name on purpose).
  const grpcServer = server["server"];
  const boundPort = await new Promise<number>((resolve, reject) => {
    grpcServer.bindAsync(
      `127.0.0.1:${port}`,
      grpcCredentials(),
      (err: Error | null, bound: number) => (err ? reject(err) : resolve(bound)),
    );
  });
  // Every Admin SDK listener (a suggestion watching for a newer message) subscribes to these
  // events; dozens at once are normal here, not a leak.
  server.state.emitter.setMaxListeners(0);
  return { host: `127.0.0.1:${boundPort}`, state: server.state, stop: () => server.stop() };
}

function grpcCredentials() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the emulator's own grpc-js copy must build its credentials
  const grpc = require(
    require.resolve("@grpc/grpc-js", { paths: [require.resolve("@firestore-emulator/server")] }),
  );
  return grpc.ServerCredentials.createInsecure();
}
