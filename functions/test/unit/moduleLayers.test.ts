import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/*
 * Imports flow one way: a module may import from its own layer or a lower one, never from above.
 * The layers are docs/architecture.md's map of src/, bottom to top.
 */
const LAYERS: string[][] = [
  ["core"],
  ["contract", "config", "observability", "privacy"],
  ["conversation", "providers", "knowledge"],
  ["results", "metrics", "queue", "retrieval", "knowledgeImport", "health"],
  ["engine"],
  ["executors", "requests"],
  ["tasks"],
  ["triggers", "cli", "bridge", "consoleEndpoint"],
  ["index.ts"],
];

// Compiled tests run from build-dev/test/unit; the sources sit beside build-dev.
const SRC = resolve(__dirname, "../../../src");

function layerOf(file: string): number {
  const top = relative(SRC, file).split(/[\\/]/)[0];
  const index = LAYERS.findIndex((names) => names.includes(top));
  if (index === -1) throw new Error(`${relative(SRC, file)} is in no layer: add its folder`);
  return index;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

describe("module layers", () => {
  it("no module in src/ imports from a layer above its own", () => {
    const upward: string[] = [];
    const files = sourceFiles(SRC);
    expect(files.length).to.be.above(20);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
        const target = resolve(dirname(file), spec);
        const targetFile = target.endsWith(".ts") ? target : `${target}.ts`;
        if (layerOf(targetFile) > layerOf(file)) {
          upward.push(`${relative(SRC, file)} → ${relative(SRC, targetFile)}`);
        }
      }
    }
    expect(upward).to.deep.equal([]);
  });
});
