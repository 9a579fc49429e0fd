import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { IMPORT_EXTENSIONS, ImportFile, importFiles } from "../knowledge/importFiles";
import { planImport } from "../knowledge/importPlan";
import { importSummaryLines, indexSummaryLines } from "../knowledge/importReport";
import { isSettled, type IndexProgress } from "../knowledge/indexProgress";
import { kbMessages } from "../knowledge/kbMessages";
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

async function main(): Promise<number> {
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
  const db = openFirestore(values.project);
  if (!db) {
    console.error(`✗ ${firestoreMessages(lang.language).none}`);
    return 2;
  }
  const language = await workspaceLanguage(db, workspace, lang.flag);
  const say = kbMessages(language);
  const tty = Boolean(process.stdout.isTTY);

  const { files, ignored } = readImportDir(folder);
  console.log(say.importing(workspace, files.length, dir, ignored));
  const result = importFiles(files);
  const plan = planImport(result, await readStoredArticles(db, workspace));
  // An empty or mistyped --dir would otherwise prune every imported article.
  const pruning = values.prune && files.length > 0;
  if (values.prune && !pruning) console.log(say.pruneRefused(dir));
  const deletions = pruning ? plan.stale : [];

  if (plan.writes.length + deletions.length === 0) console.log(say.upToDate);
  const written = await commitImport(db, workspace, plan.writes, deletions, (done, total) => {
    if (tty) process.stdout.write(`\r${say.writing(done, total)}${done === total ? "\n" : ""}`);
    else console.log(say.writing(done, total));
  });
  for (const line of importSummaryLines(
    result,
    plan,
    { removed: deletions.length, pruned: pruning, dir },
    language,
  )) {
    console.log(line);
  }
  let failed = result.skipped.length > 0;

  if (values.wait) {
    // A change of url, tags or source alone is not re-embedded: nothing to wait for there.
    const awaited = plan.writes
      .filter((w) => w.contentChanged)
      .flatMap((w) => {
        const at = written.get(w.id);
        return at ? [{ id: w.id, at }] : [];
      });
    if (awaited.length === 0) {
      console.log(say.nothingToIndex);
    } else {
      console.log(say.waiting(awaited.length, timeoutSeconds));
      let last = "";
      const { progress, timedOut } = await waitForIndex(db, workspace, awaited, {
        timeoutMs: timeoutSeconds * 1000,
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
      for (const line of indexSummaryLines(progress, { timedOut, timeoutSeconds }, language)) {
        console.log(line);
      }
      failed ||= timedOut || progress.failed.length > 0;
    }
  }
  return failed ? 1 : 0;
}

exitWhenDone(main);
