import { expect } from "chai";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/*
 * docs/architecture.md's "Repository" section is the map a newcomer reads to find an idea by its
 * folder's name. It is drawn from the tree: every folder of functions/src/ is on it, and every
 * file it names exists (in src/, or in dev/ and test/ for the lines about them), so a move that
 * forgets the map fails here.
 */

// Compiled tests run from functions/build-dev/test/unit.
const FUNCTIONS = resolve(__dirname, "../../..");
const SRC = join(FUNCTIONS, "src");

function repositorySection(): string {
  const text = readFileSync(join(FUNCTIONS, "../docs/architecture.md"), "utf8");
  const start = text.indexOf("## Repository");
  const end = text.indexOf("\n## ", start + 1);
  expect(start, "docs/architecture.md has a Repository section").to.be.above(-1);
  return text.slice(start, end === -1 ? undefined : end);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [entry.name],
  );
}

describe("the repository map (docs/architecture.md)", () => {
  it("names every folder of functions/src/", () => {
    const map = repositorySection();
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.length).to.be.above(10);
    const missing = folders.filter((name) => !map.includes(`\`${name}/`));
    expect(missing).to.deep.equal([]);
  });

  it("names only files that exist", () => {
    const map = repositorySection();
    // The section ends with functions/dev/ and functions/test/, named by file.
    const sourceNames = new Set(
      ["src", "dev", "test"].flatMap((dir) => filesUnder(join(FUNCTIONS, dir))),
    );
    const named = [...map.matchAll(/`([\w/.-]+\.ts)`/g)].map((m) => m[1]);
    expect(named.length).to.be.above(30);
    const missing = named.filter((name) =>
      name.startsWith("test/")
        ? !existsSync(join(FUNCTIONS, name))
        : name.includes("/")
          ? !existsSync(join(SRC, name))
          : !sourceNames.has(name),
    );
    expect(missing).to.deep.equal([]);
  });
});
