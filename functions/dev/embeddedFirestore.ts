import { FirestoreServer, FirestoreStateDocument } from "@firestore-emulator/server";

type Transforms = Parameters<FirestoreStateDocument["v1Transform"]>[1];

/*
 * The package's v1Transform returns after the first field transform of a write, so a write with
 * two server timestamps (updatedAt and completedAt) would keep only one. Real Firestore applies
 * every transform; applying them one at a time makes the embedded emulator do the same.
 */
const applyFirstTransformOnly = FirestoreStateDocument.prototype.v1Transform;
let transformsPatched = false;
function applyEveryTransform(): void {
  if (transformsPatched) return;
  transformsPatched = true;
  FirestoreStateDocument.prototype.v1Transform = function (date: Date, transforms: Transforms) {
    for (const transform of transforms) applyFirstTransformOnly.call(this, date, [transform]);
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
  const server = new FirestoreServer();
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
  return { host: `127.0.0.1:${boundPort}`, state: server.state, stop: () => server.stop() };
}

function grpcCredentials() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the emulator's own grpc-js copy must build its credentials
  const grpc = require(
    require.resolve("@grpc/grpc-js", { paths: [require.resolve("@firestore-emulator/server")] }),
  );
  return grpc.ServerCredentials.createInsecure();
}

export type FirestoreEmulator =
  { kind: "external"; host: string; stop(): void } | ({ kind: "embedded" } & EmbeddedFirestore);

/** Points firebase-admin at a Firestore emulator: the named one, or an embedded one started here. */
export async function useFirestoreEmulator(port = 0): Promise<FirestoreEmulator> {
  // Against an emulator no credentials are needed, yet google-auth-library would still probe the
  // GCE metadata server (169.254.169.254) for them: never leave loopback, never wait on that.
  process.env.METADATA_SERVER_DETECTION ??= "none";
  const named = process.env.FIRESTORE_EMULATOR_HOST;
  if (named) return { kind: "external", host: named, stop: () => undefined };
  const embedded = await startEmbeddedFirestore(port);
  process.env.FIRESTORE_EMULATOR_HOST = embedded.host;
  return { kind: "embedded", ...embedded };
}
