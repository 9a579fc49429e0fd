import {
  FirestoreServer,
  FirestoreState,
  FirestoreStateDocument,
} from "@firestore-emulator/server";
import { DistanceMeasure, NearestQuery, readVector, selectNearest } from "./nearestVectors";

/*
 * Vector search for the embedded emulator. The package decodes `StructuredQuery.find_nearest`
 * (its generated protobuf code knows the field) but ignores it: a findNearest query answered
 * every document its filters kept, unranked and without distances. Here a query with
 * find_nearest gets the package's filtered documents (the prefilter, its `where` clauses) and
 * keeps the nearest, as the official emulator does; with a distanceResultField, each document is
 * answered with the distance in its data. A read inside a transaction would come through RunQuery
 * too, though the Admin SDK (7.11) refuses `tx.get()` of a vector query before sending it.
 */
type StructuredQuery = Parameters<FirestoreState["v1Query"]>[1];
type FindNearest = StructuredQuery["find_nearest"];
type Field = ReturnType<FirestoreStateDocument["getField"]>;
let vectorSearchPatched = false;

/** A query Firestore refuses with INVALID_ARGUMENT; RunQuery answers it so (see below). */
export class InvalidQueryError extends Error {
  /** gRPC's INVALID_ARGUMENT: grpc-js sends an error's numeric `code` as the call's status. */
  readonly code = 3;
}

// The proto enum's numbers (google.firestore.v1.StructuredQuery.FindNearest.DistanceMeasure).
const MEASURES: Record<number, DistanceMeasure> = { 1: "EUCLIDEAN", 2: "COSINE", 3: "DOT_PRODUCT" };

/** The search a query asks for, or the official emulator's refusal of it. */
function nearestQueryOf(query: StructuredQuery, findNearest: FindNearest): NearestQuery {
  if (query.has_limit) throw new InvalidQueryError("A query limit cannot be used with FindNearest");
  if (Number(query.offset ?? 0) > 0) {
    throw new InvalidQueryError("A query offset cannot be used with FindNearest");
  }
  const limit = findNearest.has_limit ? findNearest.limit.value : 0;
  if (!(limit >= 1 && limit <= 1000)) {
    throw new InvalidQueryError(
      "FindNearest.limit must be a positive integer of no more than 1000",
    );
  }
  const measure = MEASURES[findNearest.distance_measure];
  if (!measure) throw new InvalidQueryError("FindNearest.distance_measure is required");
  // toObject() lists every scalar oneof member with its default; readVector reads double_value.
  const queryVector = readVector(findNearest.query_vector?.toObject());
  if (!queryVector) throw new InvalidQueryError("FindNearest.query_vector must be a vector");
  const threshold = findNearest.has_distance_threshold
    ? findNearest.distance_threshold.value
    : undefined;
  return { measure, queryVector, limit, threshold };
}

/**
 * The official emulator takes `vector_field` and `distance_result_field` literally, as the name
 * of one top-level field (`a.b` is a field named "a.b"); so do we. The package's getField throws
 * on a dot, hence the private `fields`.
 */
function topLevelField(doc: FirestoreStateDocument, name: string): Field {
  return (doc as unknown as { fields: Record<string, Field> }).fields[name];
}

/** The document as RunQuery sends it, with the distance under `field` (replacing any value). */
function withDistance(
  doc: FirestoreStateDocument,
  field: string,
  distance: number,
): FirestoreStateDocument {
  const answer = Object.create(doc) as FirestoreStateDocument;
  answer.toV1DocumentObject = () => {
    const plain = doc.toV1DocumentObject();
    return { ...plain, fields: { ...plain.fields, [field]: { double_value: distance } } };
  };
  return answer;
}

/**
 * Wraps v1Query as it is when called: call it after the other query patches, so that the
 * prefilter is the corrected query. Applied once; the prototype is shared by every server.
 */
export function applyVectorSearch(): void {
  if (vectorSearchPatched) return;
  vectorSearchPatched = true;
  const filteredQuery = FirestoreState.prototype.v1Query;
  FirestoreState.prototype.v1Query = function (parent: string, query: StructuredQuery) {
    if (!query.has_find_nearest) return filteredQuery.call(this, parent, query);
    const findNearest = query.find_nearest;
    const nearestQuery = nearestQueryOf(query, findNearest);
    const vectorField = findNearest.vector_field.field_path;
    const candidates = filteredQuery.call(this, parent, query).map((doc) => ({
      item: doc,
      name: doc.getPath(),
      vector: readVector(topLevelField(doc, vectorField)?.toV1ValueObject()),
    }));
    const resultField = findNearest.distance_result_field;
    return selectNearest(candidates, nearestQuery).map(({ item, distance }) =>
      resultField ? withDistance(item, resultField, distance) : item,
    );
  };
}

const RUN_QUERY = "/google.firestore.v1.Firestore/RunQuery";
type StreamHandler = (call: { emit(event: "error", error: Error): boolean }) => void;

/*
 * The package's RunQuery lets an error of v1Query escape, and grpc-js then answers UNKNOWN. A
 * refused vector query should fail as on Firestore, with INVALID_ARGUMENT and its message, so
 * RunQuery's handler (in grpc-js's private handler map, per server) reports it on the call.
 */
export function answerInvalidQueries(server: FirestoreServer): void {
  const handlers = server["server"]["handlers"] as Map<string, { func: StreamHandler }>;
  const handler = handlers.get(RUN_QUERY);
  if (!handler) throw new Error(`The embedded emulator serves no ${RUN_QUERY}`);
  const runQuery = handler.func;
  handler.func = (call) => {
    try {
      runQuery(call);
    } catch (error) {
      if (!(error instanceof InvalidQueryError)) throw error;
      call.emit("error", error);
    }
  };
}
