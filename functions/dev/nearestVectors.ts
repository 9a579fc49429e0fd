/*
 * Firestore's exhaustive nearest-neighbour search (`findNearest`) on plain data, as the official
 * Cloud Firestore emulator answers it: the embedded emulator (dev/embeddedVectorSearch.ts) runs
 * it over the documents a query's filters keep.
 */

export type DistanceMeasure = "EUCLIDEAN" | "COSINE" | "DOT_PRODUCT";

export interface NearestQuery {
  measure: DistanceMeasure;
  queryVector: number[];
  /** 1 to 1000; Firestore refuses any other. */
  limit: number;
  /** EUCLIDEAN and COSINE keep distance <= threshold; DOT_PRODUCT keeps distance >= threshold. */
  threshold?: number;
}

export interface Candidate<T> {
  item: T;
  /** The document's name: the order among equal distances. */
  name: string;
  vector: number[] | undefined;
}

export interface Nearest<T> {
  item: T;
  distance: number;
}

function dot(a: number[], b: number[]): number {
  return a.reduce((sum, x, i) => sum + x * b[i], 0);
}

/**
 * The distance Firestore reports. COSINE is 1 - cosine similarity: NaN when either vector is all
 * zeros, as the official emulator reports it (such a document comes last and passes no threshold).
 */
export function vectorDistance(measure: DistanceMeasure, a: number[], b: number[]): number {
  switch (measure) {
    case "EUCLIDEAN":
      return Math.sqrt(a.reduce((sum, x, i) => sum + (x - b[i]) ** 2, 0));
    case "COSINE":
      return 1 - dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    case "DOT_PRODUCT":
      return dot(a, b);
  }
}

/** DOT_PRODUCT grows with similarity; the other two shrink. */
const growsWithSimilarity = (measure: DistanceMeasure) => measure === "DOT_PRODUCT";

function passesThreshold(query: NearestQuery, distance: number): boolean {
  if (query.threshold === undefined) return true;
  // NaN compares false either way: a zero vector's COSINE distance passes no threshold.
  return growsWithSimilarity(query.measure)
    ? distance >= query.threshold
    : distance <= query.threshold;
}

/** Most similar first, NaN last, then by document name (what the official emulator does). */
function compareNearest(measure: DistanceMeasure) {
  const sign = growsWithSimilarity(measure) ? -1 : 1;
  return (a: Nearest<unknown> & { name: string }, b: Nearest<unknown> & { name: string }) => {
    const aNaN = Number.isNaN(a.distance);
    const bNaN = Number.isNaN(b.distance);
    if (aNaN !== bNaN) return aNaN ? 1 : -1;
    if (!aNaN && a.distance !== b.distance) return sign * (a.distance - b.distance);
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  };
}

/**
 * The `limit` nearest candidates that pass the threshold. A candidate without a vector, or with
 * one of another dimension than the query's, is skipped without error, as Firestore does.
 */
export function selectNearest<T>(candidates: Candidate<T>[], query: NearestQuery): Nearest<T>[] {
  const dimension = query.queryVector.length;
  return candidates
    .flatMap(({ item, name, vector }) =>
      vector !== undefined && vector.length === dimension
        ? [{ item, name, distance: vectorDistance(query.measure, query.queryVector, vector) }]
        : [],
    )
    .filter(({ distance }) => passesThreshold(query, distance))
    .sort(compareNearest(query.measure))
    .slice(0, query.limit)
    .map(({ item, distance }) => ({ item, distance }));
}

/** A Firestore value as the package's toObject() gives it: oneof members by their proto names. */
export type PlainValue = {
  string_value?: unknown;
  double_value?: unknown;
  array_value?: { values?: PlainValue[] };
  map_value?: { fields?: Record<string, PlainValue> };
};

/**
 * The numbers of a Firestore vector: a map `{__type__: "__vector__", value: [doubles]}` (what
 * `FieldValue.vector()` writes). Anything else, a plain array included, is no vector.
 */
export function readVector(value: PlainValue | undefined): number[] | undefined {
  const fields = value?.map_value?.fields;
  if (fields?.__type__?.string_value !== "__vector__") return undefined;
  const elements = fields.value?.array_value?.values;
  if (elements === undefined) return undefined;
  const numbers = elements.map((element) => element.double_value);
  return numbers.every((n): n is number => typeof n === "number") ? numbers : undefined;
}
