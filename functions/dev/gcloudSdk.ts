import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";

/*
 * The gcloud CLI's installation and the Java that runs its emulator components. Both the
 * project's own start of the Firestore emulator (officialFirestore.ts) and the Firebase emulator
 * suite (emulatorSuite/) use the components installed here, as `gcloud components install` or
 * Debian's google-cloud-cli-* packages put them.
 */

/** Component launchers and jars, relative to the SDK root. */
export const GCLOUD_COMPONENTS = {
  firestoreLauncher: join("platform", "cloud-firestore-emulator", "cloud_firestore_emulator"),
  firestoreJar: join("platform", "cloud-firestore-emulator", "cloud-firestore-emulator.jar"),
  pubsubLauncher: join("platform", "pubsub-emulator", "bin", "cloud-pubsub-emulator"),
} as const;

function sdkRootCandidates(): string[] {
  const roots: string[] = [];
  if (process.env.CLOUDSDK_ROOT_DIR) roots.push(process.env.CLOUDSDK_ROOT_DIR);
  // `gcloud` on PATH is <sdk>/bin/gcloud, often behind a symlink: the fast way to the root.
  for (const dir of (process.env.PATH ?? "").split(":")) {
    const gcloud = join(dir, "gcloud");
    if (existsSync(gcloud)) roots.push(dirname(dirname(realpathSync(gcloud))));
  }
  return roots;
}

/** What `gcloud info` says the SDK root is: the documented way, and a slow one (about 2 s). */
function sdkRootFromGcloud(): string | undefined {
  try {
    return execFileSync("gcloud", ["info", "--format=value(installation.sdk_root)"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 20_000,
    }).trim();
  } catch {
    return undefined;
  }
}

export type SdkRoot = { root: string } | { missing: string };

/** The SDK root that holds `component` (a path relative to the root), or why there is none. */
export function findSdkRootWith(component: string, componentName: string): SdkRoot {
  const roots = sdkRootCandidates();
  let root = roots.find((r) => existsSync(join(r, component)));
  if (!root) {
    const fromGcloud = sdkRootFromGcloud();
    if (fromGcloud && existsSync(join(fromGcloud, component))) root = fromGcloud;
  }
  if (root) return { root };
  return {
    missing:
      roots.length === 0
        ? "the gcloud CLI is not installed"
        : `the gcloud component ${componentName} is not installed (gcloud components install ${componentName})`,
  };
}

/** The component's version, from the SDK's install snapshot. */
export function componentVersion(sdkRoot: string, componentName: string): string {
  try {
    const snapshot = join(sdkRoot, ".install", `${componentName}.snapshot.json`);
    return /"version_string":\s*"([^"]+)"/.exec(readFileSync(snapshot, "utf8"))?.[1] ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** `java -version`'s major version (8 for "1.8.0"), or undefined when Java does not run. */
export function javaMajorVersion(java = process.env.JAVA ?? "java"): number | undefined {
  // `java -version` writes to stderr.
  const run = spawnSync(java, ["-Duser.language=en", "-version"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 20_000,
  });
  if (run.error || run.status !== 0) return undefined;
  return parseJavaMajorVersion(`${run.stdout}\n${run.stderr}`);
}

/** The major version in `java -version`'s output: `version "17.0.15"` → 17, `"1.8.0_392"` → 8. */
export function parseJavaMajorVersion(output: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 && match[2] ? Number(match[2]) : major;
}
