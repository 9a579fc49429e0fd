import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import type { Firestore } from "firebase-admin/firestore";
import type { Language } from "../core/language";
import { IMPORT_EXTENSIONS, ImportFile, importFiles } from "../knowledgeImport/importFiles";
import { type ImportPlan, planImport } from "../knowledgeImport/importPlan";
import { importSummaryLines, indexSummaryLines } from "./importReport";
import { type Instant, isSettled, type IndexProgress } from "../knowledge/indexProgress";
import { kbMessages } from "./kbMessages";
import { commitImport, readStoredArticles, waitForIndex } from "./kbStore";
import {
  firestoreMessages,
  isWorkspaceId,
  openFirestore,
  workspaceLanguage,
} from "./workspaceFirestore";
import { LANG_OPTION, langUsage, readLangFlag } from "./commandLanguage";
import { exitWhenDone } from "./exitWhenDone";
import { kbUsage } from "./kbUsage";

/** Every importable file under `dir`, `/`-separated relative paths; dot files and folders left out. */
function readImportDir(dir: string): { files: ImportFile[]; ignored: number } {
  const files: ImportFile[] = [];
  let ignored = 0;
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      // A link is followed to a file only: a linked folder could lead back up, round and round.
      const isFile = entry.isSymbolicLink()
        ? statSync(path, { throwIfNoEntry: false })?.isFile()
        : entry.isFile();
      if (!isFile) continue;
      const source = relative(dir, path).split(sep).join("/");
      const lower = entry.name.toLowerCase();
      if (!IMPORT_EXTENSIONS.some((ext) => lower.endsWith(ext))) {
        ignored += 1;
        continue;
      }
      try {
        files.push({ source, text: decode(readFileSync(path)) });
      } catch (err) {
        files.push({ source, text: "", readError: (err as Error).message });
      }
    }
  };
  walk(dir);
  return { files, ignored };
}

/** UTF-8, else Windows-1252: what Excel's "CSV" (not "CSV UTF-8") writes on a Spanish Windows. */
function decode(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/** The command line, checked: the folder exists, the workspace id and the timeout are valid. */
interface ImportArguments {
  workspace: string;
  /** As typed, for the messages; `folder` is where it resolves. */
  dir: string;
  folder: string;
  prune: boolean;
  wait: boolean;
  timeoutSeconds: number;
  project: string | undefined;
  flag: Language | undefined;
  /** The flag's or the environment's, until the workspace is read. */
  language: Language;
}

/** The arguments, or the exit code after the usage, the refusal or the help was printed. */
function readArguments(): ImportArguments | number {
  const { values } = parseArgs({
    options: {
      workspace: { type: "string" },
      dir: { type: "string" },
      prune: { type: "boolean", default: false },
      wait: { type: "boolean", default: false },
      timeout: { type: "string", default: "120" },
      project: { type: "string" },
      ...LANG_OPTION,
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const lang = readLangFlag(values.lang, process.env);
  if (!lang) return 2;
  // Until the workspace is read: the flag, the environment, English.
  const early = kbUsage(lang.language);
  const usage = early.importUsage(
    firestoreMessages(lang.language).usage,
    langUsage(lang.language, true),
  );
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const timeoutSeconds = Number(values.timeout);
  const workspace = values.workspace ?? "";
  if (
    !isWorkspaceId(workspace) ||
    !values.dir ||
    !Number.isInteger(timeoutSeconds) ||
    timeoutSeconds < 1 ||
    timeoutSeconds > 3600
  ) {
    console.error(`${usage}\n\n${early.importArguments}`);
    return 2;
  }
  const dir = values.dir;
  // npm runs scripts in functions/: a relative --dir is where the operator typed the command.
  const folder = resolve(process.env.INIT_CWD ?? process.cwd(), dir);
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    console.error(`✗ ${early.notAFolder(dir)}`);
    return 2;
  }
  return {
    workspace,
    dir,
    folder,
    prune: values.prune,
    wait: values.wait,
    timeoutSeconds,
    project: values.project,
    flag: lang.flag,
    language: lang.language,
  };
}

/** What an import wrote: the plan, when each article was written, and whether a file was skipped. */
interface Imported {
  plan: ImportPlan;
  written: Map<string, Instant>;
  skipped: boolean;
}

/** Reads the folder, writes what changed (and, with --prune, deletes what is gone), says so. */
async function importFolder(
  db: Firestore,
  args: ImportArguments,
  language: Language,
): Promise<Imported> {
  const say = kbMessages(language);
  const { files, ignored } = readImportDir(args.folder);
  console.log(say.importing(args.workspace, files.length, args.dir, ignored));
  const result = importFiles(files);
  const plan = planImport(result, await readStoredArticles(db, args.workspace));
  // An empty or mistyped --dir would otherwise prune every imported article.
  const pruning = args.prune && files.length > 0;
  if (args.prune && !pruning) console.log(say.pruneRefused(args.dir));
  const deletions = pruning ? plan.stale : [];

  if (plan.writes.length + deletions.length === 0) console.log(say.upToDate);
  const tty = Boolean(process.stdout.isTTY);
  const written = await commitImport(db, args.workspace, plan.writes, deletions, (done, total) => {
    if (tty) process.stdout.write(`\r${say.writing(done, total)}${done === total ? "\n" : ""}`);
    else console.log(say.writing(done, total));
  });
  const summary = { removed: deletions.length, pruned: pruning, dir: args.dir };
  for (const line of importSummaryLines(result, plan, summary, language)) console.log(line);
  return { plan, written, skipped: result.skipped.length > 0 };
}

/** --wait: follows the indexing of the articles whose content changed; true when one failed. */
async function followIndexing(
  db: Firestore,
  args: ImportArguments,
  imported: Imported,
  language: Language,
): Promise<boolean> {
  const say = kbMessages(language);
  // A change of url, tags or source alone is not re-embedded: nothing to wait for there.
  const awaited = imported.plan.writes
    .filter((w) => w.contentChanged)
    .flatMap((w) => {
      const at = imported.written.get(w.id);
      return at ? [{ id: w.id, at }] : [];
    });
  if (awaited.length === 0) {
    console.log(say.nothingToIndex);
    return false;
  }
  console.log(say.waiting(awaited.length, args.timeoutSeconds));
  let last = "";
  const { progress, timedOut } = await waitForIndex(db, args.workspace, awaited, {
    timeoutMs: args.timeoutSeconds * 1000,
    onProgress: (p: IndexProgress) => {
      const line = say.indexState({
        ready: p.ready.length,
        failed: p.failed.length,
        indexing: p.indexing.length,
        waiting: p.waiting.length,
      });
      if (line !== last && !isSettled(p)) console.log(line);
      last = line;
    },
  });
  const timing = { timedOut, timeoutSeconds: args.timeoutSeconds };
  for (const line of indexSummaryLines(progress, timing, language)) console.log(line);
  return timedOut || progress.failed.length > 0;
}

async function main(): Promise<number> {
  const args = readArguments();
  if (typeof args === "number") return args;
  const db = openFirestore(args.project);
  if (!db) {
    console.error(`✗ ${firestoreMessages(args.language).none}`);
    return 2;
  }
  const language = await workspaceLanguage(db, args.workspace, args.flag);
  const imported = await importFolder(db, args, language);
  const indexFailed = args.wait && (await followIndexing(db, args, imported, language));
  return imported.skipped || indexFailed ? 1 : 0;
}

exitWhenDone(main);
