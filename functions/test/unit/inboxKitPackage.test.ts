import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { buildInboxKit, KIT_DIR } from "../../dev/inboxKitBuild";

/*
 * The inbox kit as a frontend gets it: the package `npm run kit:pack` makes, compiled against by
 * a consumer's code the way a bundler-based app resolves it (its package.json `exports`). Its
 * README's example compiles; a misspelled status, field, tone or request kind does not.
 */

const functionsDir = resolve(__dirname, "../../..");
const consumerDir = join(functionsDir, "build-dev/kit-consumer");

/** The README's "In 20 lines" example. */
function readmeExample(): string {
  const readme = readFileSync(join(KIT_DIR, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## In 20 lines"));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("inbox-kit/README.md has no ts block under ## In 20 lines");
  return block;
}

// What the example leaves to the app: its config and its own rendering.
const PRELUDE = `declare const firebaseConfig: { apiKey: string; projectId: string };
declare function showSpinner(queued: boolean): void;
declare function showDraft(text: string, how: object): void;
declare function showError(code: string, message: string, hint?: string): void;
declare function hide(): void;
`;

/** Compiles each file as a consumer app would; its diagnostics' codes, by file name. */
function compile(files: Record<string, string>): Record<string, number[]> {
  rmSync(join(consumerDir, "src"), { recursive: true, force: true });
  mkdirSync(join(consumerDir, "src"), { recursive: true });
  const names = Object.entries(files).map(([name, text]) => {
    const file = join(consumerDir, "src", name);
    writeFileSync(file, text);
    return file;
  });
  const program = ts.createProgram(names, {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: [],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    moduleDetection: ts.ModuleDetectionKind.Force,
  });
  const codes: Record<string, number[]> = Object.fromEntries(
    Object.keys(files).map((n) => [n, []]),
  );
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const name = d.file ? (d.file.fileName.split("/").pop() ?? "") : "(global)";
    (codes[name] ??= []).push(d.code);
    if (!(name in files)) console.log(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  }
  return codes;
}

describe("inbox kit: the package a frontend installs", function () {
  this.timeout(120_000);

  before(async () => {
    await buildInboxKit();
    // Installed as an app has it: node_modules/@lmstudio-suggestions/inbox-kit, firebase beside.
    rmSync(consumerDir, { recursive: true, force: true });
    mkdirSync(join(consumerDir, "node_modules/@lmstudio-suggestions"), { recursive: true });
    symlinkSync(KIT_DIR, join(consumerDir, "node_modules/@lmstudio-suggestions/inbox-kit"));
    symlinkSync(
      join(functionsDir, "node_modules/firebase"),
      join(consumerDir, "node_modules/firebase"),
    );
  });

  it("packs the ESM bundle, its types and the README, with the backend's contract inside", () => {
    const packed = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
        cwd: KIT_DIR,
        encoding: "utf8",
      }),
    ) as { name: string; files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path).sort();
    expect(packed[0].name).to.equal("@lmstudio-suggestions/inbox-kit");
    expect(files).to.include.members([
      "README.md",
      "package.json",
      "dist/index.mjs",
      "dist/types/inbox-kit/src/index.d.ts",
      "dist/types/src/contract/documents.d.ts",
    ]);
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).to.deep.equal([]);
    const bundle = readFileSync(join(KIT_DIR, "dist/index.mjs"), "utf8");
    // The Firebase SDK is the app's; everything else is bundled in.
    const imported = [...bundle.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    expect([...new Set(imported)].sort()).to.deep.equal(["firebase/auth", "firebase/firestore"]);
  });

  it("the README's example is at most 20 lines and compiles against the package", () => {
    const example = readmeExample();
    expect(example.trimEnd().split("\n").length).to.be.at.most(20);
    expect(compile({ "readme.ts": PRELUDE + example })).to.deep.equal({ "readme.ts": [] });
  });

  it("a misspelled status, field, tone or request kind fails to compile", () => {
    const head = `import { getFirestore } from "firebase/firestore";
import { rewrite, watchCurrentSuggestion, type NewAiRequest, type Suggestion } from "@lmstudio-suggestions/inbox-kit";
const db = getFirestore();
const where = { workspaceId: "w", conversationId: "c" };
`;
    const codes = compile({
      "status.ts": `${head}watchCurrentSuggestion(db, where, (s) => { if (s.state === "redy") console.log(s); });`,
      "field.ts": `${head}watchCurrentSuggestion(db, where, (s) => { if (s.state === "ready") console.log(s.txet); });`,
      "documentStatus.ts": `${head}const d = {} as Suggestion; if (d.status === "complete") console.log(d);`,
      "tone.ts": `${head}void rewrite(db, where, { draft: "hola", tone: "tutear" });`,
      "kind.ts": `${head}const r: Omit<NewAiRequest, "createdAt"> = { kind: "regenerar", requestedBy: "u", messageId: "m" }; console.log(r);`,
      "fine.ts": `${head}watchCurrentSuggestion(db, where, (s) => { if (s.state === "ready") console.log(s.text, s.sources[0]?.url); });`,
    });
    expect(codes).to.deep.equal({
      // This comparison appears to be unintentional: the types have no overlap.
      "status.ts": [2367],
      // Property does not exist on type.
      "field.ts": [2339],
      "documentStatus.ts": [2367],
      // Type is not assignable.
      "tone.ts": [2322],
      // Not assignable; did you mean "regenerate"?
      "kind.ts": [2820],
      "fine.ts": [],
    });
  });
});
