/*
 * node-llama-cpp, installed on demand into a prefix of its own (never the project's
 * node_modules: with every platform's binaries its packages weigh ~700 MB) and loaded with a
 * dynamic import, so that the project type-checks without it. Only the engine and this
 * platform's prebuilt CPU binary are installed, with install scripts off; loading forbids a
 * build from source and any download.
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

/** Pinned, so that runs on different days measure the same llama.cpp. */
export const ENGINE_VERSION = "3.22.1";

/** node-llama-cpp's prebuilt CPU-only binary packages, by `${platform}-${arch}`. */
const PREBUILT_CPU_BINARIES: Record<string, string> = {
  "linux-x64": "@node-llama-cpp/linux-x64",
  "linux-arm64": "@node-llama-cpp/linux-arm64",
  "darwin-x64": "@node-llama-cpp/mac-x64",
  "win32-x64": "@node-llama-cpp/win-x64",
};

export function prebuiltBinaryPackage(platform: string, arch: string): string | undefined {
  return PREBUILT_CPU_BINARIES[`${platform}-${arch}`];
}

/** The part of node-llama-cpp's API the bench uses (its own types are not a dependency). */
export interface LlamaContextSequence {
  readonly contextTokens: number[];
  readonly nextTokenIndex: number;
  clearHistory(): Promise<void>;
  eraseContextTokenRanges(ranges: Array<{ start: number; end: number }>): Promise<void>;
  evaluate(
    tokens: number[],
    options?: { temperature?: number },
  ): AsyncGenerator<number, void, void | number | number[]>;
}
export interface LlamaContext {
  readonly contextSize: number;
  readonly batchSize: number;
  readonly currentThreads: number;
  readonly flashAttention: "auto" | boolean;
  getSequence(): LlamaContextSequence;
  dispose(): Promise<void>;
}
export interface LlamaModel {
  tokenize(text: string, specialTokens?: boolean): number[];
  createContext(options: {
    contextSize: number;
    sequences: number;
    threads?: number;
  }): Promise<LlamaContext>;
  dispose(): Promise<void>;
}
export interface Llama {
  readonly buildType: "localBuild" | "prebuilt";
  readonly cpuMathCores: number;
  readonly llamaCppRelease: { repo: string; release: string };
  loadModel(options: { modelPath: string; gpuLayers: number }): Promise<LlamaModel>;
  dispose(): Promise<void>;
}
interface NodeLlamaCpp {
  getLlama(options: {
    gpu: false;
    build: "never";
    skipDownload: true;
    usePrebuiltBinaries: true;
    progressLogs: false;
    logLevel: "error";
  }): Promise<Llama>;
}

export class EngineUnavailable extends Error {}

export interface EngineInstall {
  prefix: string;
  packages: string[];
  packageCount: number;
  bytes: number;
  /** Seconds the install took, when this run installed it. */
  installedInSeconds?: number;
}

function installedVersion(prefix: string, name: string): string | undefined {
  const manifest = join(prefix, "node_modules", name, "package.json");
  if (!existsSync(manifest)) return undefined;
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version?: string }).version;
}

/** Bytes of the files in a node_modules folder, and how many packages it holds (nested too). */
function measureInstall(dir: string): { bytes: number; packageCount: number } {
  let bytes = 0;
  let packageCount = 0;
  const walk = (d: string, inNodeModules: boolean): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (!entry.isDirectory()) {
        bytes += lstatSync(path).size;
        continue;
      }
      const isPackage = inNodeModules && !entry.name.startsWith("@") && !entry.name.startsWith(".");
      if (isPackage) packageCount++;
      walk(path, entry.name === "node_modules" || (inNodeModules && entry.name.startsWith("@")));
    }
  };
  walk(dir, true);
  return { bytes, packageCount };
}

function runNpm(args: string[], cwd: string): void {
  // Under `npm run`, npm_execpath is the npm that started us; elsewhere, the one on PATH.
  const npmCli = process.env.npm_execpath;
  const [command, prefixArgs] = npmCli?.endsWith(".js")
    ? [process.execPath, [npmCli]]
    : ["npm", [] as string[]];
  const result = spawnSync(command, [...prefixArgs, ...args], { cwd, stdio: "inherit" });
  if (result.status !== 0) {
    throw new EngineUnavailable(
      `npm ${args.join(" ")} failed in ${cwd} (exit ${result.status ?? result.signal}).`,
    );
  }
}

/** Installs node-llama-cpp and this platform's prebuilt CPU binary into `prefix` unless there. */
export function ensureEngineInstalled(prefix: string, shownAs = prefix): EngineInstall {
  const binary = prebuiltBinaryPackage(process.platform, process.arch);
  if (!binary) {
    throw new EngineUnavailable(
      `node-llama-cpp publishes no prebuilt CPU binary for ${process.platform}-${process.arch}; ` +
        `this bench never builds llama.cpp from source. Run it on ${Object.keys(PREBUILT_CPU_BINARIES).join(", ")}.`,
    );
  }
  const packages = [`node-llama-cpp@${ENGINE_VERSION}`, `${binary}@${ENGINE_VERSION}`];
  const present =
    installedVersion(prefix, "node-llama-cpp") === ENGINE_VERSION &&
    installedVersion(prefix, binary) === ENGINE_VERSION;
  let installedInSeconds: number | undefined;
  if (!present) {
    console.log(`installing ${packages.join(" + ")} into ${shownAs}/ (install scripts off)…`);
    mkdirSync(prefix, { recursive: true });
    const dependencies = { "node-llama-cpp": ENGINE_VERSION, [binary]: ENGINE_VERSION };
    writeFileSync(
      join(prefix, "package.json"),
      `${JSON.stringify({ name: "llama-engine-bench", private: true, dependencies }, null, 2)}\n`,
    );
    const started = performance.now();
    // --omit=optional: node-llama-cpp lists every platform's binaries (CUDA, Vulkan, Metal…) as
    // optional; the one this platform needs is a direct dependency above.
    runNpm(
      [
        "install",
        "--ignore-scripts",
        "--omit=optional",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
      ],
      prefix,
    );
    installedInSeconds = (performance.now() - started) / 1000;
  }
  return { prefix, packages, installedInSeconds, ...measureInstall(join(prefix, "node_modules")) };
}

/** Loads the engine from `prefix` with its prebuilt CPU binary; never builds, never downloads. */
export async function loadEngine(prefix: string): Promise<Llama> {
  // Read by node-llama-cpp when its module loads: no GPU probing, no llama.cpp source download.
  process.env.NODE_LLAMA_CPP_GPU = "false";
  process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";
  const entry = join(prefix, "node_modules", "node-llama-cpp", "dist", "index.js");
  const engine = (await import(pathToFileURL(entry).href)) as NodeLlamaCpp;
  try {
    return await engine.getLlama({
      gpu: false,
      build: "never",
      skipDownload: true,
      usePrebuiltBinaries: true,
      progressLogs: false,
      logLevel: "error",
    });
  } catch (error) {
    throw new EngineUnavailable(
      `node-llama-cpp's prebuilt CPU binary does not load here (${(error as Error).message}); ` +
        "this bench never builds llama.cpp from source.",
    );
  }
}
