import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  assertFails,
  initializeTestEnvironment,
  RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import {
  deleteDoc,
  doc,
  DocumentData,
  DocumentSnapshot,
  Firestore,
  getDoc,
  setDoc,
  setLogLevel,
  updateDoc,
  writeBatch,
} from "firebase/firestore";

/*
 * The security rules tests' shared setup: the real rules (firestore.rules at the repository root)
 * loaded into the official Firestore emulator named by FIRESTORE_EMULATOR_HOST, under a project
 * id of their own, and web-SDK clients signed in as the parties the rules tell apart. The embedded
 * in-process emulator evaluates no rules, so there the tests report themselves skipped.
 */

const REPO_ROOT = resolve(__dirname, "../../../..");
export const RULES_PROJECT_ID = "demo-rules";

/** A workspace's member with role "agent". */
export const AGENT = "agent-uid";
/** A workspace's member with role "admin". */
export const ADMIN = "admin-uid";
/** Signed in, and admin of a workspace of their own, but not a member of the one under test. */
export const OUTSIDER = "outsider-uid";
/** No Firebase Auth user at all. */
export const ANONYMOUS = null;
export type Caller = typeof AGENT | typeof ADMIN | typeof OUTSIDER | typeof ANONYMOUS | string;

export interface Workspace {
  id: string;
  /** A conversation that exists in the workspace. */
  conversation: string;
  /** The outsider's own workspace, where they are admin. */
  outsidersWorkspace: string;
}

export interface RulesWorld {
  env: RulesTestEnvironment;
  /** The web SDK's Firestore as `caller` (null: not signed in). */
  as(caller: Caller): Firestore;
  /** One document, read as `caller`. */
  read(caller: Caller, path: string): Promise<DocumentSnapshot>;
  /**
   * Asserts that `caller` can neither create (a new id beside `path`), replace, update nor
   * delete (`path` itself, which should exist).
   */
  noClientWrites(caller: Caller, path: string, data: DocumentData): Promise<void>;
  /** Writes documents with the rules disabled, as the backend's Admin SDK would. */
  seed(docs: Record<string, DocumentData>): Promise<void>;
  /** A fresh workspace (random id) with AGENT, ADMIN and one conversation; OUTSIDER elsewhere. */
  workspace(): Promise<Workspace>;
  cleanup(): Promise<void>;
}

/**
 * The rules world of the enclosing describe block: started before its first test (the whole
 * block skipped on the embedded emulator) and cleaned up after its last.
 */
export function rulesWorldForSuite(): () => RulesWorld {
  let world: RulesWorld | undefined;
  before(async function () {
    world = await startRulesWorld(this);
  });
  after(async () => {
    await world?.cleanup();
  });
  return () => world as RulesWorld;
}

/**
 * Call from the file's outermost `before` with mocha's `this`: skips the whole file on the
 * embedded emulator, which evaluates no rules.
 */
export async function startRulesWorld(context: Mocha.Context): Promise<RulesWorld> {
  if (process.env.TEST_FIRESTORE_EMULATOR === "embedded") {
    console.log("    (skipped: security rules need the official Firestore emulator)");
    context.skip();
  }
  const named = process.env.FIRESTORE_EMULATOR_HOST;
  if (!named) throw new Error("FIRESTORE_EMULATOR_HOST names no Firestore emulator");
  const colon = named.lastIndexOf(":");
  const env = await initializeTestEnvironment({
    projectId: RULES_PROJECT_ID,
    firestore: {
      host: named.slice(0, colon).replace(/^\[|\]$/g, ""),
      port: Number(named.slice(colon + 1)),
      rules: readFileSync(resolve(REPO_ROOT, "firestore.rules"), "utf8"),
    },
  });
  // A refused write is what these tests expect; the SDK would log each one as a warning.
  setLogLevel("silent");

  const clients = new Map<string, Firestore>();
  const as = (caller: Caller): Firestore => {
    const key = caller ?? "";
    let db = clients.get(key);
    if (!db) {
      const context =
        caller === null ? env.unauthenticatedContext() : env.authenticatedContext(caller);
      // rules-unit-testing hands out the compat API; the modular functions take it as it is.
      db = context.firestore() as unknown as Firestore;
      clients.set(key, db);
    }
    return db;
  };
  const read = (caller: Caller, path: string) => getDoc(doc(as(caller), path));
  const noClientWrites = async (caller: Caller, path: string, data: DocumentData) => {
    const db = as(caller);
    const sibling = `${path.slice(0, path.lastIndexOf("/"))}/${randomUUID()}`;
    await assertFails(setDoc(doc(db, sibling), data));
    await assertFails(setDoc(doc(db, path), data));
    await assertFails(updateDoc(doc(db, path), data));
    await assertFails(deleteDoc(doc(db, path)));
  };
  const seed = (docs: Record<string, DocumentData>) =>
    env.withSecurityRulesDisabled(async (ctx) => {
      const db = ctx.firestore() as unknown as Firestore;
      const batch = writeBatch(db);
      for (const [path, data] of Object.entries(docs)) batch.set(doc(db, path), data);
      await batch.commit();
    });
  const workspace = async (): Promise<Workspace> => {
    const id = randomUUID();
    const outsidersWorkspace = randomUUID();
    const conversation = `workspaces/${id}/conversations/${randomUUID()}`;
    await seed({
      [`workspaces/${id}/members/${AGENT}`]: { role: "agent" },
      [`workspaces/${id}/members/${ADMIN}`]: { role: "admin" },
      [`workspaces/${outsidersWorkspace}/members/${OUTSIDER}`]: { role: "admin" },
      [conversation]: { channel: "whatsapp", customerName: "Ana", status: "open" },
    });
    return { id, conversation, outsidersWorkspace };
  };
  return { env, as, read, noClientWrites, seed, workspace, cleanup: () => env.cleanup() };
}

/** A copy of `data` without `field`: the shape with one required field missing. */
export function without(data: DocumentData, field: string): DocumentData {
  const copy = { ...data };
  delete copy[field];
  return copy;
}

interface IndexField {
  fieldPath: string;
  order?: "ASCENDING" | "DESCENDING";
  arrayConfig?: string;
  vectorConfig?: { dimension: number; flat?: Record<string, never> };
}
interface CompositeIndex {
  collectionGroup: string;
  queryScope: "COLLECTION" | "COLLECTION_GROUP";
  fields: IndexField[];
}

function declaredIndexes(): CompositeIndex[] {
  const { indexes } = JSON.parse(
    readFileSync(resolve(REPO_ROOT, "firestore.indexes.json"), "utf8"),
  ) as { indexes: CompositeIndex[] };
  return indexes;
}

/** The fields before the last one, when each has an order: a query's equality filters. */
function leadingEqualities(index: CompositeIndex): string[] {
  return index.fields
    .slice(0, -1)
    .filter((field) => field.order !== undefined)
    .map((field) => field.fieldPath)
    .sort();
}

/**
 * Whether firestore.indexes.json declares an index of this scope whose leading fields are these
 * equality filters, in any order, and whose last field is the one `last` accepts.
 */
function declaresIndex(
  query: {
    collectionGroup: string;
    queryScope: CompositeIndex["queryScope"];
    equalities: string[];
  },
  last: (field: IndexField) => boolean,
): boolean {
  const wanted = JSON.stringify([...query.equalities].sort());
  return declaredIndexes().some(
    (index) =>
      index.collectionGroup === query.collectionGroup &&
      index.queryScope === query.queryScope &&
      index.fields.length === query.equalities.length + 1 &&
      JSON.stringify(leadingEqualities(index)) === wanted &&
      last(index.fields[index.fields.length - 1]),
  );
}

/**
 * Whether firestore.indexes.json (read from the file) holds the composite index a query with
 * these equality filters and this order needs: the equality fields in any order, then the
 * ordered field last, with its direction. (The emulator serves any query without one.)
 */
export function hasCompositeIndex(query: {
  collectionGroup: string;
  queryScope: CompositeIndex["queryScope"];
  equalities: string[];
  orderBy: { fieldPath: string; order: "ASCENDING" | "DESCENDING" };
}): boolean {
  return declaresIndex(
    query,
    (last) => last.fieldPath === query.orderBy.fieldPath && last.order === query.orderBy.order,
  );
}

/**
 * Whether firestore.indexes.json holds the vector index a `findNearest` query with these
 * equality pre-filters needs: the equality fields in any order, then the vector field last, a
 * flat index of exactly this dimension. (The distance measure is the query's, not the index's.)
 */
export function hasVectorIndex(query: {
  collectionGroup: string;
  queryScope: CompositeIndex["queryScope"];
  equalities: string[];
  vectorField: string;
  dimension: number;
}): boolean {
  return declaresIndex(
    query,
    (last) =>
      last.fieldPath === query.vectorField &&
      last.order === undefined &&
      last.vectorConfig?.dimension === query.dimension &&
      last.vectorConfig.flat !== undefined,
  );
}
